package inr

import (
	"encoding/binary"
	"fmt"
)

// Cameras and phones store a JPEG's pixels as the sensor read them and say in the EXIF
// Orientation tag (TIFF tag 0x0112) how to turn them for display; image viewers and browsers
// apply it, Go's image/jpeg does not. LoadImage applies it, so that a fitted photograph stands as
// the user sees it. The values (EXIF 2.3, §4.6.4): 1 as stored; 2 mirrored left–right; 3 turned
// 180°; 4 mirrored top–bottom; 5 transposed (mirrored about the main diagonal); 6 turned 90°
// clockwise; 7 transversed (mirrored about the anti-diagonal); 8 turned 90° anticlockwise.

// exifOrientationTag is the TIFF tag of the orientation.
const exifOrientationTag = 0x0112

// jpegOrientation returns the EXIF orientation (1–8) of the JPEG stream data, or 1 when it has
// none or the metadata cannot be read (a damaged EXIF block does not make the picture unusable).
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return 1
	}
	for p := 2; p+4 <= len(data); {
		if data[p] != 0xFF {
			return 1
		}
		marker := data[p+1]
		switch {
		case marker == 0xFF: // fill byte
			p++
			continue
		case marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7): // no length
			p += 2
			continue
		case marker == 0xDA || marker == 0xD9: // start of scan, end of image: no EXIF before them
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		if n < 2 || p+2+n > len(data) {
			return 1
		}
		seg := data[p+4 : p+2+n]
		if marker == 0xE1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			if o := tiffOrientation(seg[6:]); o != 0 {
				return o
			}
		}
		p += 2 + n
	}
	return 1
}

// tiffOrientation reads the orientation tag from the first IFD of a TIFF structure (the body of
// an EXIF segment); 0 when it is absent or malformed.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 0
	}
	var bo binary.ByteOrder
	switch string(t[:4]) {
	case "II*\x00":
		bo = binary.LittleEndian
	case "MM\x00*":
		bo = binary.BigEndian
	default:
		return 0
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd < 8 || ifd+2 > int64(len(t)) {
		return 0
	}
	n := int64(bo.Uint16(t[ifd:]))
	for i := int64(0); i < n; i++ {
		e := ifd + 2 + 12*i
		if e+12 > int64(len(t)) {
			return 0
		}
		if bo.Uint16(t[e:]) != exifOrientationTag {
			continue
		}
		// Type SHORT (3), count 1: the value sits in the first two bytes of the value field.
		if bo.Uint16(t[e+2:]) != 3 || bo.Uint32(t[e+4:]) != 1 {
			return 0
		}
		if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
			return o
		}
		return 0
	}
	return 0
}

// orientationNames says what each EXIF orientation does to the stored pixels.
var orientationNames = [9]string{
	2: "mirrored left–right",
	3: "turned 180°",
	4: "mirrored top–bottom",
	5: "transposed",
	6: "turned 90° clockwise",
	7: "transversed",
	8: "turned 90° anticlockwise",
}

// OrientationNote describes the EXIF orientation LoadImage applied ("" for none).
func OrientationNote(o int) string {
	if o < 2 || o > 8 {
		return ""
	}
	return fmt.Sprintf("%s (EXIF orientation %d)", orientationNames[o], o)
}

// oriented returns im turned as EXIF orientation o says (im itself for 1 or an unknown value),
// with o recorded in its Orientation.
func (im *Image) oriented(o int) *Image {
	if o < 2 || o > 8 {
		return im
	}
	w, h := im.W, im.H
	ow, oh := w, h
	if o >= 5 {
		ow, oh = h, w
	}
	out := NewImage(ow, oh, im.C, im.Depth)
	out.Orientation = o
	for y := range h {
		for x := range w {
			var dx, dy int
			switch o {
			case 2:
				dx, dy = w-1-x, y
			case 3:
				dx, dy = w-1-x, h-1-y
			case 4:
				dx, dy = x, h-1-y
			case 5:
				dx, dy = y, x
			case 6:
				dx, dy = h-1-y, x
			case 7:
				dx, dy = h-1-y, w-1-x
			case 8:
				dx, dy = y, w-1-x
			}
			copy(out.Pix[(dy*ow+dx)*im.C:(dy*ow+dx+1)*im.C], im.Pix[(y*w+x)*im.C:(y*w+x+1)*im.C])
		}
	}
	return out
}
