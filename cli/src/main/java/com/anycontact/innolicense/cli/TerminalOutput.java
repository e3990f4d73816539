package com.anycontact.innolicense.cli;

import com.anycontact.innolicense.text.SafeText;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Standard output or error of the command line, where every character that would act on a terminal instead of
 * showing (escape sequences, bidi overrides, carriage returns: {@link SafeText#escapeKeepingLayout}) is written
 * as its visible escape. Commands print what the server or a key file said — a rejected key's content, an audit
 * detail, a problem's detail — and none of it may clear the screen, retitle the window or reverse a line.
 * Line feeds and tabs stay. Text is escaped a line at a time, and at each flush up to the last whole character.
 */
final class TerminalOutput extends PrintStream {

    private final PrintStream raw;

    private TerminalOutput(PrintStream raw) {
        super(new Escaping(raw, raw.charset()), true, raw.charset());
        this.raw = raw;
    }

    /** The stream escaped; a stream escaped already is returned as it is. */
    static PrintStream of(PrintStream stream) {
        return stream instanceof TerminalOutput ? stream : new TerminalOutput(stream);
    }

    /**
     * The stream under the escaping, for output that the program makes itself and that needs a terminal's
     * control characters, such as a progress line rewritten in place with a carriage return.
     */
    static PrintStream unescaped(PrintStream stream) {
        return stream instanceof TerminalOutput escaped ? escaped.raw : stream;
    }

    /** Buffers bytes up to a line feed or a flush, then writes them escaped. */
    private static final class Escaping extends OutputStream {
        private final PrintStream raw;
        private final Charset charset;
        private final boolean utf8;
        private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

        Escaping(PrintStream raw, Charset charset) {
            this.raw = raw;
            this.charset = charset;
            this.utf8 = StandardCharsets.UTF_8.equals(charset);
        }

        @Override
        public synchronized void write(int b) {
            pending.write(b);
            if (b == '\n') {
                emit(pending.size());
            }
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            for (int i = offset; i < offset + length; i++) {
                write(bytes[i]);
            }
        }

        @Override
        public synchronized void flush() throws IOException {
            emit(wholeCharacters());
            raw.flush();
        }

        @Override
        public void close() throws IOException {
            flush();
        }

        private void emit(int length) {
            if (length == 0) {
                return;
            }
            byte[] all = pending.toByteArray();
            String text = new String(all, 0, length, charset);
            raw.writeBytes(SafeText.escapeKeepingLayout(text).getBytes(charset));
            pending.reset();
            pending.write(all, length, all.length - length);
        }

        /** How many pending bytes end on a whole character: a UTF-8 sequence cut off by a flush waits. */
        private int wholeCharacters() {
            byte[] all = pending.toByteArray();
            int end = all.length;
            if (!utf8 || end == 0) {
                return end;
            }
            int start = end - 1;
            while (start > 0 && end - start < 4 && (all[start] & 0xC0) == 0x80) {
                start--;
            }
            int lead = all[start] & 0xFF;
            int needed = lead < 0x80 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            return end - start < needed ? start : end;
        }
    }
}
