package dev.mountedsecrets.logging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;

import dev.mountedsecrets.ServedSecrets;

/**
 * A stream that writes whole lines, each with every secret of a registry replaced by
 * {@value ServedSecrets#MASK}: a secret split between two writes is still found. A line is
 * written when it ends, when it grows past a limit, and when the stream is closed or told to
 * {@link #release() release} what it holds; a plain {@code flush()} does not cut a line. A line
 * that shows no secret is written as the bytes it was given. Once released, the stream passes
 * every byte straight through: whoever still holds it (a console appender that took
 * {@code System.out} while the start-up was masked, another application's masking stream
 * restored on top of it) is neither held back nor slowed.
 */
final class MaskingOutputStream extends OutputStream {

	private static final int MAX_LINE = 64 * 1024;

	private final OutputStream out;

	private final ServedSecrets served;

	private final Charset charset;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

	private volatile boolean released;

	MaskingOutputStream(OutputStream out, ServedSecrets served, Charset charset) {
		this.out = out;
		this.served = served;
		this.charset = charset;
	}

	@Override
	public synchronized void write(int b) throws IOException {
		if (this.released) {
			this.out.write(b);
			return;
		}
		this.line.write(b);
		if (b == '\n' || this.line.size() >= MAX_LINE) {
			writeLine();
		}
	}

	@Override
	public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
		if (this.released) {
			this.out.write(bytes, offset, length);
			return;
		}
		int start = offset;
		int end = offset + length;
		for (int i = offset; i < end; i++) {
			if (bytes[i] == '\n') {
				this.line.write(bytes, start, i + 1 - start);
				writeLine();
				start = i + 1;
			}
		}
		this.line.write(bytes, start, end - start);
		if (this.line.size() >= MAX_LINE) {
			writeLine();
		}
	}

	/** Write what is held, masked, even if its line has not ended; from then on, pass through. */
	synchronized void release() throws IOException {
		writeLine();
		this.released = true;
	}

	@Override
	public void flush() throws IOException {
		if (this.released) {
			this.out.flush();
		}
	}

	@Override
	public synchronized void close() throws IOException {
		release();
	}

	private void writeLine() throws IOException {
		if (this.line.size() == 0) {
			return;
		}
		String text = this.line.toString(this.charset);
		String masked = this.served.mask(text);
		if (masked == text) {
			// no secret: the bytes as given, whatever charset wrote them
			this.line.writeTo(this.out);
		}
		else {
			this.out.write(masked.getBytes(this.charset));
		}
		this.line.reset();
		this.out.flush();
	}

}
