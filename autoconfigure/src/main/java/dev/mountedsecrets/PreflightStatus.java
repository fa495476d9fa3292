package dev.mountedsecrets;

/**
 * Outcome of the pre-flight check ({@code secrets.preflight.enabled=true}) and the exit code
 * of the process that ran it. Code 1 is left to the JVM and to Spring: a failure before the
 * check ran (a configuration that does not bind, a class missing from the jar).
 */
public enum PreflightStatus {

	/** Every check passed: the folder would start the application. Exit code 0. */
	PASSED(0),

	/** Secret files break the start-up rules (the failure of {@link InvalidSecretsException}). Exit code 2. */
	INVALID_SECRETS(2),

	/** The database refused a login made with a mapped secret. Exit code 3. */
	DATABASE_LOGIN_REFUSED(3),

	/** The application's database role breaks the least-privilege rules. Exit code 4. */
	DATABASE_ROLE_PRIVILEGED(4),

	/** A check that was asked for could not run: no database URL or driver, database not reachable, secrets disabled. Exit code 5. */
	NOT_CHECKED(5);

	private final int exitCode;

	PreflightStatus(int exitCode) {
		this.exitCode = exitCode;
	}

	/**
	 * The exit code of the process.
	 * @return the code
	 */
	public int exitCode() {
		return this.exitCode;
	}

}
