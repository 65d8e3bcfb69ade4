package kz.qaqpa.blocklist.dns;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.FastThreadLocal;
import java.nio.charset.StandardCharsets;

/**
 * Domain names as a DNS message writes them (RFC 1035 §3.1, §4.1.4): labels, each a length octet
 * and that many octets, ending at a zero octet or at a compression pointer to the rest. Read in
 * place; every offset is an index into the buffer, {@code start} where the message begins.
 */
final class WireNames {

    /** Pointers followed in one name at most; a name of 255 octets needs far fewer. */
    static final int MAX_POINTER_JUMPS = 128;
    /** RFC 1035 §2.3.4: a name is at most 255 octets on the wire. */
    static final int MAX_NAME_OCTETS = 255;
    /** What {@link #judgeable} gives for a name with an octet over 0x7f (compared by identity). */
    static final String NOT_ASCII = new String("not ASCII");
    /** What {@link #end} gives for a name with an octet over 0x7f or a dot inside a label. */
    static final int FOR_THE_CODEC = -2;

    private static final int LONGEST_LABEL = 63;
    /**
     * Where {@link #judgeable} gathers a name's octets, one per thread (each event loop's): a new
     * 255-octet array per query was a third of the bytes a forwarding node allocated per query.
     */
    private static final FastThreadLocal<byte[]> GATHERED = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MAX_NAME_OCTETS];
        }
    };

    private WireNames() {
    }

    /**
     * The name at {@code offset} as the node judges it — its labels joined by dots, with a trailing
     * dot; {@code "."} for the root — when the node can judge it: it ends within the message, has at
     * most 255 octets counted across pointers, labels of at most 63 octets none of which holds a NUL
     * or a dot (as text {@code a.b} in one label reads as two labels, and a NUL cannot be written
     * back, so the node would judge a name other than the one asked), and fewer than
     * {@value #MAX_POINTER_JUMPS} pointers, each to an earlier part of the message that exists.
     * Null when it cannot; {@link #NOT_ASCII} when it can but a label holds an octet over 0x7f,
     * whose text is for Netty's codec to give (as IDN).
     */
    static String judgeable(ByteBuf in, int start, int offset) {
        int end = in.writerIndex();
        byte[] text = GATHERED.get();
        int length = 0;
        int octets = 1;
        boolean ascii = true;
        int position = offset;
        int jumps = 0;
        while (true) {
            if (position >= end) {
                return null; // runs off the message
            }
            int label = in.getUnsignedByte(position);
            if (label == 0) {
                break;
            }
            if ((label & 0xc0) == 0xc0) {
                if (position + 1 >= end) {
                    return null;
                }
                int target = start + (((label & 0x3f) << 8) | in.getUnsignedByte(position + 1));
                if (target >= end || ++jumps >= MAX_POINTER_JUMPS || 2 * jumps >= end - start) {
                    return null; // out of the message, or a loop
                }
                position = target;
                continue;
            }
            octets += label + 1;
            if (label > LONGEST_LABEL || octets > MAX_NAME_OCTETS || position + 1 + label > end) {
                return null;
            }
            for (int i = position + 1; i <= position + label; i++) {
                byte octet = in.getByte(i);
                if (octet == 0 || octet == '.') {
                    return null;
                }
                ascii &= octet > 0;
                text[length++] = octet;
            }
            text[length++] = '.';
            position += label + 1;
        }
        if (!ascii) {
            return NOT_ASCII;
        }
        return length == 0 ? "." : new String(text, 0, length, StandardCharsets.ISO_8859_1);
    }

    /**
     * Where what follows the name at {@code offset} begins — past its zero octet or its first
     * pointer — read as Netty's codec reads a record's owner: pointers must stay inside the message
     * and not loop, labels must be whole and at most 63 octets (the codec's IDN refuses longer
     * ones), and a name cut off by the message's end ends there. -1 when malformed;
     * {@link #FOR_THE_CODEC} when a label holds an octet over 0x7f or a dot (the codec's IDN judges
     * those: text, a dot inside a label is two labels, perhaps an empty one).
     */
    static int end(ByteBuf in, int start, int offset) {
        int end = in.writerIndex();
        int position = offset;
        int after = -1;
        int checked = 0;
        boolean plain = true;
        while (position < end) {
            int label = in.getUnsignedByte(position);
            if (label == 0) {
                position++;
                break;
            }
            if ((label & 0xc0) == 0xc0) {
                if (position + 1 >= end) {
                    return -1;
                }
                int target = start + (((label & 0x3f) << 8) | in.getUnsignedByte(position + 1));
                if (target >= end) {
                    return -1;
                }
                if (after < 0) {
                    after = position + 2;
                }
                checked += 2;
                if (checked >= end - start) {
                    return -1; // a loop
                }
                position = target;
                continue;
            }
            if (position + 1 + label > end || label > LONGEST_LABEL) {
                return -1;
            }
            for (int i = position + 1; i <= position + label; i++) {
                byte octet = in.getByte(i);
                plain &= octet >= 0 && octet != '.';
            }
            position += label + 1;
        }
        if (!plain) {
            return FOR_THE_CODEC;
        }
        return after >= 0 ? after : position;
    }
}
