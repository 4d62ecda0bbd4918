#!/usr/bin/python3
"""Set the output layer's bias of a studio model file to VALUE (every channel; WIRE's real part),
everything else unchanged: the experiment that shows WIRE's 300-step mode follows that one number.

  /usr/bin/python3 scripts/peers/set_output_bias.py IN.safetensors VALUE OUT.safetensors
  inr fit assets/camera-128.png --init OUT.safetensors --steps 300 --eval-every 1 --threads 1
"""
import json
import os
import struct
import sys


def main():
    if len(sys.argv) != 4:
        raise SystemExit(__doc__)
    src, value, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    with open(src, "rb") as f:
        raw = bytearray(f.read())
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    last = max(int(k.split(".")[0]) for k in header if k != "__metadata__")
    name = next((k for k in (f"{last}.bias_re", f"{last}.bias") if k in header), None)
    if name is None:
        raise SystemExit(f"{src}: no output bias ({last}.bias or {last}.bias_re)")
    info = header[name]
    if info["dtype"] != "F64":
        raise SystemExit(f"{src}: {name} is {info['dtype']}, not F64")
    a, b = info["data_offsets"]
    raw[8 + n + a:8 + n + b] = struct.pack(f"<{(b - a) // 8}d", *[value] * ((b - a) // 8))
    tmp = out + ".tmp"
    with open(tmp, "wb") as f:
        f.write(raw)
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
