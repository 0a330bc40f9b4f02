#!/usr/bin/env python3
"""Checks that every LOAD segment of each ELF shared library is aligned for 16 KB pages.

Android 15 devices may use 16 KB memory pages; a library whose LOAD segments are aligned to
4 KB fails to load there, and Google Play refuses apps that ship one. This reads the program
headers itself (no binutils or NDK needed), so the same check runs here and in the Android
workflow on every `.so` an APK ships.

Usage: elf_align.py [--min BYTES] LIBRARY...
Prints one line per library ("<file>: LOAD align 0x4000 ok") and exits 1 if any is below.
"""

from __future__ import annotations

import argparse
import struct
import sys
from pathlib import Path

PT_LOAD = 1


def load_alignments(path: Path) -> list[int]:
    """The p_align of every PT_LOAD program header of the ELF file at `path`."""
    data = path.read_bytes()
    if data[:4] != b"\x7fELF":
        raise ValueError("not an ELF file")
    elf_class, byte_order = data[4], data[5]
    if elf_class not in (1, 2) or byte_order not in (1, 2):
        raise ValueError("unknown ELF class or byte order")
    end = "<" if byte_order == 1 else ">"
    if elf_class == 2:  # 64-bit
        phoff, = struct.unpack_from(end + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x36)
        layout, align_at = end + "I", 0x30
    else:  # 32-bit (armeabi-v7a)
        phoff, = struct.unpack_from(end + "I", data, 0x1C)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x2A)
        layout, align_at = end + "I", 0x1C
    aligns = []
    for i in range(phnum):
        start = phoff + i * phentsize
        if start + phentsize > len(data):
            raise ValueError("program header table runs past the end of the file")
        p_type, = struct.unpack_from(layout, data, start)
        if p_type == PT_LOAD:
            fmt = end + ("Q" if elf_class == 2 else "I")
            aligns.append(struct.unpack_from(fmt, data, start + align_at)[0])
    if not aligns:
        raise ValueError("no LOAD segment")
    return aligns


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--min", type=int, default=16384, help="smallest alignment accepted")
    parser.add_argument("libraries", nargs="+", type=Path)
    args = parser.parse_args()
    bad = 0
    for lib in args.libraries:
        try:
            aligns = load_alignments(lib)
        except (OSError, ValueError, struct.error) as e:
            print(f"{lib}: unreadable ELF ({e})")
            bad += 1
            continue
        smallest = min(aligns)
        verdict = "ok" if smallest >= args.min else f"BELOW 0x{args.min:x}"
        print(f"{lib}: LOAD align 0x{smallest:x} {verdict}")
        bad += smallest < args.min
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
