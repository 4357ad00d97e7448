"""Files the media tests upload: real images made with Pillow, a PNG carrying a GPS position in its EXIF, an SVG
and an HTML page named ``.png``, a PNG whose header claims 50,000 x 50,000 pixels, and video containers."""
import io
import struct
import zlib

from PIL import Image

from xblocks.core.files import Upload

GPS_IFD = 0x8825


def png(size=(40, 30), colour=(200, 30, 30), mode="RGB", exif=None):
    out = io.BytesIO()
    Image.new(mode, size, colour).save(out, "PNG", **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def jpeg(size=(40, 30), exif=None):
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "JPEG", **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def gps_exif():
    """EXIF with a camera model and a GPS position (Antwerp)."""
    exif = Image.Exif()
    exif[0x0110] = "Pocket camera"  # Model
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (51.0, 13.0, 12.0), 3: "E", 4: (4.0, 24.0, 1.0)})
    return exif


def gps_of(content):
    return dict(Image.open(io.BytesIO(content)).getexif().get_ifd(GPS_IFD))


SVG = (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
       b'<script>alert(document.cookie)</script></svg>')
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_bomb(width=50000, height=50000):
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (decoding it would take gigabytes)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + _chunk(b"IEND", b""))


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 200
WEBM = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\x82\x84webm" + b"\x00" * 200


def upload(content, name="photo.png", content_type="image/png"):
    """An upload as the doors hand it to an action."""
    return Upload(name=name, content_type=content_type, size=len(content), file=io.BytesIO(content))
