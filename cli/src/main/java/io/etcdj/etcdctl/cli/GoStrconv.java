package io.etcdj.etcdctl.cli;

import io.etcdj.etcdctl.print.GoQuote;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/** Go's strconv number/bool parsing, with its exact error texts (etcdctl prints them verbatim). */
public final class GoStrconv {
    private GoStrconv() {}

    public static boolean parseBool(String s) throws FlagValueException {
        switch (s) {
            case "1", "t", "T", "TRUE", "true", "True":
                return true;
            case "0", "f", "F", "FALSE", "false", "False":
                return false;
            default:
                throw new FlagValueException("strconv.ParseBool: parsing " + GoQuote.quote(s) + ": invalid syntax");
        }
    }

    /** strconv.ParseInt(s, base, bits) for base 10 or 16. */
    public static long parseInt(String s, int base, int bits) throws FlagValueException {
        String fn = "strconv.ParseInt";
        if (s.isEmpty()) {
            throw syntax(fn, s);
        }
        boolean neg = false;
        String digits = s;
        if (s.charAt(0) == '+' || s.charAt(0) == '-') {
            neg = s.charAt(0) == '-';
            digits = s.substring(1);
        }
        BigInteger mag = parseMagnitude(fn, s, digits, base);
        BigInteger v = neg ? mag.negate() : mag;
        if (v.bitLength() > bits - 1) {
            throw new FlagValueException(fn + ": parsing " + GoQuote.quote(s) + ": value out of range");
        }
        return v.longValue();
    }

    /** strconv.ParseUint(s, base, 64), returned as the raw 64 bits. */
    public static long parseUint(String s, int base) throws FlagValueException {
        String fn = "strconv.ParseUint";
        if (s.isEmpty()) {
            throw syntax(fn, s);
        }
        BigInteger v = parseMagnitude(fn, s, s, base);
        if (v.bitLength() > 64) {
            throw new FlagValueException(fn + ": parsing " + GoQuote.quote(s) + ": value out of range");
        }
        return v.longValue();
    }

    private static BigInteger parseMagnitude(String fn, String whole, String digits, int base)
            throws FlagValueException {
        if (digits.isEmpty()) {
            throw syntax(fn, whole);
        }
        for (int i = 0; i < digits.length(); i++) {
            if (Character.digit(digits.charAt(i), base) < 0 || digits.charAt(i) > 'z') {
                throw syntax(fn, whole);
            }
        }
        return new BigInteger(digits, base);
    }

    private static FlagValueException syntax(String fn, String s) {
        return new FlagValueException(fn + ": parsing " + GoQuote.quote(s) + ": invalid syntax");
    }

    /** Splits a flag value the way pflag's string slice does (a one-line CSV record). */
    public static List<String> readCsvRecord(String s) {
        List<String> out = new ArrayList<>();
        if (s.isEmpty()) {
            return out;
        }
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cur.append(c);
                }
            } else if (c == '"' && cur.length() == 0) {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
