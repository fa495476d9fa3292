package dev.mountedsecrets;

import org.jspecify.annotations.Nullable;

/**
 * What one writer of lines (a log appender's encoder) last wrote that showed no secret, so
 * that its next line is looked at faster: each line is mostly like the last one, with the
 * same date, level, thread and logger at the same places, and a window of it that the last
 * clean line held at the same place, and that no secret could start with then, is not looked
 * up again (see {@link ServedSecrets#mask(byte[], java.nio.charset.Charset, RecentLine)}).
 * <p>
 * Thread-safe: what is remembered is one immutable copy of a line, replaced as a whole by a
 * later one; a line written by another thread meanwhile only makes the next look slower.
 */
public final class RecentLine {

	/** Longest line remembered (a copy is kept): a longer one is looked at in full. */
	static final int LONGEST = 16 * 1024;

	private volatile ServedSecrets.@Nullable CleanLine line;

	ServedSecrets.@Nullable CleanLine get() {
		return this.line;
	}

	void set(ServedSecrets.CleanLine line) {
		this.line = line;
	}

	@Override
	public String toString() {
		return "RecentLine";
	}

}
