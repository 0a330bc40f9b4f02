"""The reference: Pillow doing the same renditions with draft() (DCT-scaled decoding), EXIF
orientation applied, no metadata written."""

import sys

from PIL import Image, ImageOps

source, out = sys.argv[1], sys.argv[2]
image = Image.open(source)
image.draft("RGB", (2048 * 7 // 8, 2048 * 7 // 8))
image = ImageOps.exif_transpose(image)
image.thumbnail((2048, 2048), Image.LANCZOS)
image.save(f"{out}/large.jpg", quality=85)
image.thumbnail((320, 320), Image.LANCZOS)
image.save(f"{out}/thumbnail.jpg", quality=80)
