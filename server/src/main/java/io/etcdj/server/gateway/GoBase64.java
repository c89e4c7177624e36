package io.etcdj.server.gateway;

import java.io.ByteArrayOutputStream;

/**
 * Go's {@code base64.StdEncoding.DecodeString} (padded standard alphabet, CR and LF ignored),
 * reporting a bad input with Go's words: "illegal base64 data at input byte N" where N is the
 * offset Go reports (the start of an incomplete final quantum, or the offending byte).
 */
final class GoBase64 {
    private GoBase64() {
    }

    static byte[] decode(String s) throws GoJsonException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() * 3 / 4);
        int si = 0;
        int n = s.length();
        while (true) {
            int[] q = new int[4];
            int j = 0;
            int dlen = 4;
            for (; j < 4; j++) {
                while (si < n && (s.charAt(si) == '\n' || s.charAt(si) == '\r')) {
                    si++;
                }
                if (si == n) {
                    if (j == 0) {
                        return out.toByteArray();
                    }
                    throw illegal(si - j);
                }
                char c = s.charAt(si++);
                int d = value(c);
                if (d >= 0) {
                    q[j] = d;
                    continue;
                }
                if (c != '=') {
                    throw illegal(si - 1);
                }
                switch (j) {
                    case 0, 1 -> throw illegal(si - 1);
                    case 2 -> {
                        while (si < n && (s.charAt(si) == '\n' || s.charAt(si) == '\r')) {
                            si++;
                        }
                        if (si == n) {
                            throw illegal(n);
                        }
                        if (s.charAt(si) != '=') {
                            throw illegal(si - 1);
                        }
                        si++;
                    }
                    default -> { }
                }
                while (si < n && (s.charAt(si) == '\n' || s.charAt(si) == '\r')) {
                    si++;
                }
                if (si < n) {
                    throw illegal(si);
                }
                dlen = j;
                break;
            }
            int v = q[0] << 18 | q[1] << 12 | q[2] << 6 | q[3];
            out.write(v >> 16);
            if (dlen > 2) {
                out.write(v >> 8);
            }
            if (dlen > 3) {
                out.write(v);
            }
            if (dlen < 4) {
                return out.toByteArray();
            }
        }
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        } else if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        } else if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        } else if (c == '+') {
            return 62;
        } else if (c == '/') {
            return 63;
        }
        return -1;
    }

    private static GoJsonException illegal(int offset) {
        return new GoJsonException("illegal base64 data at input byte " + offset);
    }
}
