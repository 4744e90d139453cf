package dev.tokenauthority.sidecar.jose;

/**
 * Strict base64url decoding (RFC 4648 section 5) as JWS requires it (RFC 7515 section 2: "with all trailing '='
 * characters omitted").
 *
 * <p>{@link java.util.Base64#getUrlDecoder()} is lenient in ways a token verifier should not be: it accepts padding
 * and ignores non-zero trailing bits, so several different strings decode to the same bytes. Accepting only the one
 * canonical encoding keeps "the token string" and "the signed bytes" in one-to-one correspondence, which the
 * verified-token cache (keyed by the token string) relies on.
 */
public final class Base64Url {

    /** Maps an ASCII code to its 6-bit value, or -1 for characters outside the base64url alphabet. */
    private static final byte[] DECODE = new byte[128];

    static {
        java.util.Arrays.fill(DECODE, (byte) -1);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        for (int i = 0; i < alphabet.length(); i++) {
            DECODE[alphabet.charAt(i)] = (byte) i;
        }
    }

    private Base64Url() {
    }

    /** Decodes {@code text[from, to)}; returns null if it is not canonical unpadded base64url. */
    public static byte[] decode(CharSequence text, int from, int to) {
        int length = to - from;
        int remainder = length % 4;
        if (remainder == 1) {
            return null; // 6 bits cannot encode a byte
        }
        byte[] out = new byte[length / 4 * 3 + (remainder == 0 ? 0 : remainder - 1)];
        int o = 0;
        int i = from;
        for (int end = to - remainder; i < end; i += 4) {
            int bits = sextet(text, i) << 18 | sextet(text, i + 1) << 12 | sextet(text, i + 2) << 6
                    | sextet(text, i + 3);
            if (bits < 0) {
                return null;
            }
            out[o++] = (byte) (bits >> 16);
            out[o++] = (byte) (bits >> 8);
            out[o++] = (byte) bits;
        }
        if (remainder == 2) {
            int a = sextet(text, i);
            int b = sextet(text, i + 1);
            // The low 4 bits of the last character carry no data; canonical form has them zero (RFC 4648 3.5).
            if (a < 0 || b < 0 || (b & 0x0F) != 0) {
                return null;
            }
            out[o] = (byte) (a << 2 | b >> 4);
        } else if (remainder == 3) {
            int a = sextet(text, i);
            int b = sextet(text, i + 1);
            int c = sextet(text, i + 2);
            if (a < 0 || b < 0 || c < 0 || (c & 0x03) != 0) {
                return null;
            }
            out[o++] = (byte) (a << 2 | b >> 4);
            out[o] = (byte) (b << 4 | c >> 2);
        }
        return out;
    }

    /** Decodes a whole string; returns null if it is not canonical unpadded base64url. */
    public static byte[] decode(CharSequence text) {
        return decode(text, 0, text.length());
    }

    /** The 6-bit value of the character, or -1 (which keeps the sign bit of a combined word set) if invalid. */
    private static int sextet(CharSequence text, int index) {
        char c = text.charAt(index);
        return c < 128 ? DECODE[c] : -1;
    }
}
