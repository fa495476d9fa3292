package dev.mountedsecrets.logging;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * A copy of an exception for printing, with every text it shows masked: its message, its
 * {@code toString()} (which an exception may override), its causes and suppressed exceptions,
 * each with the stack trace of the original.
 */
final class MaskedThrowable extends RuntimeException {

	private static final int MAX_DEPTH = 32;

	private final String shown;

	private MaskedThrowable(Throwable original, UnaryOperator<String> mask) {
		super(maskOrNull(original.getMessage(), mask));
		this.shown = mask.apply(String.valueOf(original));
		setStackTrace(original.getStackTrace());
	}

	/**
	 * A masked copy of an exception, its causes and suppressed exceptions.
	 * @param original the exception
	 * @param mask how a text is masked
	 * @return the copy
	 */
	static Throwable of(Throwable original, UnaryOperator<String> mask) {
		return copy(original, mask, new IdentityHashMap<>(), 0);
	}

	private static Throwable copy(Throwable original, UnaryOperator<String> mask, Map<Throwable, Throwable> copies,
			int depth) {
		Throwable known = copies.get(original);
		if (known != null) {
			return known;
		}
		MaskedThrowable copy = new MaskedThrowable(original, mask);
		copies.put(original, copy);
		if (depth < MAX_DEPTH) {
			Throwable cause = original.getCause();
			if (cause != null && cause != original) {
				copy.initCause(copy(cause, mask, copies, depth + 1));
			}
			for (Throwable suppressed : original.getSuppressed()) {
				Throwable suppressedCopy = copy(suppressed, mask, copies, depth + 1);
				if (suppressedCopy != copy) {
					copy.addSuppressed(suppressedCopy);
				}
			}
		}
		return copy;
	}

	private static @Nullable String maskOrNull(@Nullable String text, UnaryOperator<String> mask) {
		return (text != null) ? mask.apply(text) : null;
	}

	@Override
	public String getLocalizedMessage() {
		return getMessage();
	}

	@Override
	public String toString() {
		return this.shown;
	}

	@Override
	public synchronized Throwable fillInStackTrace() {
		return this;
	}

}
