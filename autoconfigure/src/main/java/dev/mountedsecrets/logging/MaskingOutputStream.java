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
 * {@link #release() release} what it holds; a plain {@code flush()} does not cut a line.
 */
final class MaskingOutputStream extends OutputStream {

	private static final int MAX_LINE = 64 * 1024;

	private final OutputStream out;

	private final ServedSecrets served;

	private final Charset charset;

	private final ByteArrayOutputStream line = new ByteArrayOutputStream(256);

	MaskingOutputStream(OutputStream out, ServedSecrets served, Charset charset) {
		this.out = out;
		this.served = served;
		this.charset = charset;
	}

	@Override
	public synchronized void write(int b) throws IOException {
		this.line.write(b);
		if (b == '\n' || this.line.size() >= MAX_LINE) {
			writeLine();
		}
	}

	@Override
	public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
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

	/** Write what is held, masked, even if its line has not ended. */
	synchronized void release() throws IOException {
		writeLine();
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
		this.line.reset();
		String masked = this.served.mask(text);
		this.out.write(masked.getBytes(this.charset));
		this.out.flush();
	}

}
