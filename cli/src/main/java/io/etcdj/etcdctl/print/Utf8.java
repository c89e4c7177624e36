package io.etcdj.etcdctl.print;

/** Go's utf8.DecodeRune over a byte array: returns {rune, width}, rune -1 for an invalid byte. */
final class Utf8 {
    private Utf8() {}

    static int[] decode(byte[] b, int i) {
        int c0 = b[i] & 0xff;
        if (c0 < 0x80) {
            return new int[] {c0, 1};
        }
        int need;
        int min;
        int r;
        if (c0 >= 0xc2 && c0 <= 0xdf) {
            need = 1;
            min = 0x80;
            r = c0 & 0x1f;
        } else if (c0 >= 0xe0 && c0 <= 0xef) {
            need = 2;
            min = 0x800;
            r = c0 & 0x0f;
        } else if (c0 >= 0xf0 && c0 <= 0xf4) {
            need = 3;
            min = 0x10000;
            r = c0 & 0x07;
        } else {
            return new int[] {-1, 1};
        }
        for (int k = 1; k <= need; k++) {
            if (i + k >= b.length) {
                return new int[] {-1, 1};
            }
            int c = b[i + k] & 0xff;
            if ((c & 0xc0) != 0x80) {
                return new int[] {-1, 1};
            }
            r = (r << 6) | (c & 0x3f);
        }
        if (r < min || r > 0x10ffff || (r >= 0xd800 && r <= 0xdfff)) {
            return new int[] {-1, 1};
        }
        return new int[] {r, need + 1};
    }
}
