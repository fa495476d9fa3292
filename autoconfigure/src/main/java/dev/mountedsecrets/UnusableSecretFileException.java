package dev.mountedsecrets;

/**
 * Thrown by {@link SecretFileReader} when a file cannot serve as a secret. Its message is the
 * rule that was broken and never contains any of the file's content.
 */
class UnusableSecretFileException extends Exception {

	private final String action;

	private final boolean unreadable;

	UnusableSecretFileException(String rule, String action) {
		this(rule, action, false);
	}

	UnusableSecretFileException(String rule, String action, boolean unreadable) {
		super(rule, null, false, false);
		this.action = action;
		this.unreadable = unreadable;
	}

	String getAction() {
		return this.action;
	}

	/**
	 * Whether the file exists but the application's user may not open it.
	 * @return whether opening it was refused
	 */
	boolean isUnreadable() {
		return this.unreadable;
	}

}
