package dev.mountedsecrets;

import java.util.IdentityHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * A copy of a failure, with its causes and suppressed failures, in which every served secret
 * in a message is replaced by {@value ServedSecrets#MASK}; stack traces are kept. Printed as
 * the original would be (its {@code toString()}, which an exception may override, masked),
 * its class name first. Causes and suppressed failures are copied {@value #MAX_DEPTH} deep.
 */
public final class MaskedFailure extends RuntimeException {

	/** How deep causes and suppressed failures are copied, and looked at. */
	public static final int MAX_DEPTH = 64;

	private final String originalClassName;

	private final String shown;

	private MaskedFailure(String originalClassName, @Nullable String message, String shown) {
		super(message);
		this.originalClassName = originalClassName;
		this.shown = shown;
	}

	/**
	 * Mask a failure.
	 * @param failure the failure
	 * @param served the values to mask
	 * @return the masked copy
	 */
	public static MaskedFailure of(Throwable failure, ServedSecrets served) {
		return of(failure, served::mask);
	}

	/**
	 * Mask a failure.
	 * @param failure the failure
	 * @param mask how a text is masked
	 * @return the masked copy
	 */
	public static MaskedFailure of(Throwable failure, UnaryOperator<String> mask) {
		return copy(failure, mask, new IdentityHashMap<>(), 0);
	}

	/**
	 * Whether a failure, a cause or a suppressed failure shows a secret in its message, its
	 * localized message or its {@code toString()}; a chain deeper than {@value #MAX_DEPTH} is
	 * taken as showing one.
	 * @param failure the failure
	 * @param served the values looked for
	 * @return whether one does
	 */
	public static boolean showsSecret(Throwable failure, ServedSecrets served) {
		return shows(failure, served, new IdentityHashMap<>(), 0);
	}

	private static boolean shows(@Nullable Throwable failure, ServedSecrets served, Map<Throwable, Boolean> seen,
			int depth) {
		if (failure == null || seen.put(failure, Boolean.TRUE) != null) {
			return false;
		}
		if (depth > MAX_DEPTH) {
			// deeper than is looked at: taken as showing one, so that a copy is made, which
			// leaves out what is deeper
			return true;
		}
		if (served.shows(failure.getMessage()) || served.shows(failure.getLocalizedMessage())
				|| served.shows(shown(failure, null))) {
			return true;
		}
		for (Throwable suppressed : failure.getSuppressed()) {
			if (shows(suppressed, served, seen, depth + 1)) {
				return true;
			}
		}
		return shows(failure.getCause(), served, seen, depth + 1);
	}

	private static MaskedFailure copy(Throwable failure, UnaryOperator<String> mask, Map<Throwable, MaskedFailure> copies,
			int depth) {
		MaskedFailure existing = copies.get(failure);
		if (existing != null) {
			return existing;
		}
		String message = (failure.getMessage() != null) ? mask.apply(failure.getMessage()) : null;
		String className = failure.getClass().getName();
		String shown = mask.apply(shown(failure, (message != null) ? className + ": " + message : className));
		MaskedFailure copy = new MaskedFailure(className, message, shown);
		copies.put(failure, copy);
		copy.setStackTrace(failure.getStackTrace());
		if (depth < MAX_DEPTH) {
			Throwable cause = failure.getCause();
			if (cause != null && cause != failure) {
				copy.initCause(copy(cause, mask, copies, depth + 1));
			}
			for (Throwable suppressed : failure.getSuppressed()) {
				MaskedFailure suppressedCopy = copy(suppressed, mask, copies, depth + 1);
				if (suppressedCopy != copy) {
					copy.addSuppressed(suppressedCopy);
				}
			}
		}
		return copy;
	}

	/** What a failure's {@code toString()} shows, or the fallback if it fails or gives nothing. */
	private static @Nullable String shown(Throwable failure, @Nullable String fallback) {
		try {
			String shown = failure.toString();
			return (shown != null) ? shown : fallback;
		}
		catch (RuntimeException | StackOverflowError | LinkageError ex) {
			return fallback;
		}
	}

	/**
	 * The class of the failure this copies.
	 * @return the class name
	 */
	public String getOriginalClassName() {
		return this.originalClassName;
	}

	@Override
	public String toString() {
		return this.shown;
	}

}
