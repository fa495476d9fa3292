package dev.mountedsecrets;

/**
 * Thrown by {@link SecretFileReader} when a file cannot serve as a secret. Its message is the
 * rule that was broken and never contains any of the file's content.
 */
class UnusableSecretFileException extends Exception {

	private final String action;

	UnusableSecretFileException(String rule, String action) {
		super(rule, null, false, false);
		this.action = action;
	}

	String getAction() {
		return this.action;
	}

}
