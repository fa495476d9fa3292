package dev.mountedsecrets;

/**
 * One result of a pre-flight check: a problem, a warning or a check that passed. Names files,
 * properties and roles, never a value.
 *
 * @param check the check that found it, such as {@code secrets} or {@code database}
 * @param subject what was checked: a file, or a login such as {@code spring.datasource (app_user)}
 * @param status {@link PreflightStatus#PASSED} for a warning or a pass, the failure otherwise
 * @param warning whether it is a warning: a broken rule whose check is set to warn
 * @param description the fact, as start-up states it
 * @param action what to do, as start-up states it; empty for a pass
 */
public record PreflightFinding(String check, String subject, PreflightStatus status, boolean warning,
		String description, String action) {

	/**
	 * This finding with every served secret in its texts masked.
	 * @param served the secrets
	 * @return the masked finding
	 */
	public PreflightFinding masked(ServedSecrets served) {
		return new PreflightFinding(this.check, served.mask(this.subject), this.status, this.warning,
				served.mask(this.description), served.mask(this.action));
	}

	/**
	 * A problem.
	 * @param check the check
	 * @param subject what was checked
	 * @param status the failure
	 * @param description the fact
	 * @param action what to do
	 * @return the finding
	 */
	public static PreflightFinding problem(String check, String subject, PreflightStatus status, String description,
			String action) {
		return new PreflightFinding(check, subject, status, false, description, action);
	}

	/**
	 * A warning: a rule is broken, but the check is set to warn.
	 * @param check the check
	 * @param subject what was checked
	 * @param description the fact
	 * @param action what to do
	 * @return the finding
	 */
	public static PreflightFinding warning(String check, String subject, String description, String action) {
		return new PreflightFinding(check, subject, PreflightStatus.PASSED, true, description, action);
	}

	/**
	 * A check that passed.
	 * @param check the check
	 * @param subject what was checked
	 * @param description what was found
	 * @return the finding
	 */
	public static PreflightFinding passed(String check, String subject, String description) {
		return new PreflightFinding(check, subject, PreflightStatus.PASSED, false, description, "");
	}

	/**
	 * Whether this is a problem.
	 * @return whether its status is a failure
	 */
	public boolean failed() {
		return this.status != PreflightStatus.PASSED;
	}

	static PreflightFinding of(SecretProblem problem, PreflightStatus status) {
		return problem(SecretsPreflight.SECRETS_CHECK, problem.file(), status, problem.describe(), problem.action());
	}

	static PreflightFinding warningOf(SecretProblem problem) {
		return warning(SecretsPreflight.SECRETS_CHECK, problem.file(), problem.describe(), problem.action());
	}

}
