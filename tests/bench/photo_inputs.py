"""Makes the photo benchmark's inputs: a 12 MP and a 48 MP JPEG with EXIF orientation 6 (as a
phone held upright writes it), a capture time and a GPS position, from a smooth synthetic
scene with fine detail (so the JPEGs are about the size a camera makes)."""

import sys

from PIL import Image, ImageDraw, ImageFilter

out = sys.argv[1]
for name, (w, h) in {"12mp": (4000, 3000), "48mp": (8000, 6000)}.items():
    image = Image.radial_gradient("L").resize((w, h)).convert("RGB")
    draw = ImageDraw.Draw(image)
    for i in range(0, w, 37):
        draw.line([(i, 0), (w - i, h)], fill=(i % 255, (i * 7) % 255, (i * 13) % 255), width=3)
    image = image.filter(ImageFilter.DETAIL)
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8769] = {0x9003: "2024:05:17 14:03:59"}
    exif[0x8825] = {1: "N", 2: (62.0, 4.0, 27.0), 3: "E", 4: (9.0, 7.0, 31.0)}
    image.save(f"{out}/{name}.jpg", quality=92, exif=exif)
