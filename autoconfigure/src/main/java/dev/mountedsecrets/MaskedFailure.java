package dev.mountedsecrets;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * A copy of a failure, with its causes and suppressed failures, in which every served secret
 * in a message is replaced by {@value ServedSecrets#MASK}; stack traces are kept. Printed as
 * the original would be, its class name first.
 */
public final class MaskedFailure extends RuntimeException {

	private final String originalClassName;

	private MaskedFailure(String originalClassName, String message) {
		super(message);
		this.originalClassName = originalClassName;
	}

	/**
	 * Mask a failure.
	 * @param failure the failure
	 * @param served the values to mask
	 * @return the masked copy
	 */
	public static MaskedFailure of(Throwable failure, ServedSecrets served) {
		return copy(failure, served, new IdentityHashMap<>());
	}

	private static MaskedFailure copy(Throwable failure, ServedSecrets served, Map<Throwable, MaskedFailure> copies) {
		MaskedFailure existing = copies.get(failure);
		if (existing != null) {
			return existing;
		}
		String message = (failure.getMessage() != null) ? served.mask(failure.getMessage()) : null;
		MaskedFailure copy = new MaskedFailure(failure.getClass().getName(), message);
		copies.put(failure, copy);
		copy.setStackTrace(failure.getStackTrace());
		if (failure.getCause() != null) {
			copy.initCause(copy(failure.getCause(), served, copies));
		}
		for (Throwable suppressed : failure.getSuppressed()) {
			copy.addSuppressed(copy(suppressed, served, copies));
		}
		return copy;
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
		String message = getLocalizedMessage();
		return (message != null) ? this.originalClassName + ": " + message : this.originalClassName;
	}

}
