package dev.mountedsecrets;

/**
 * What to do when a check finds a problem: {@code secrets.permission-check},
 * {@code secrets.environment-check}, {@code secrets.datasource.least-privilege}.
 */
public enum CheckMode {

	/** Refuse to start. */
	FAIL,

	/** Start, and log a warning. */
	WARN,

	/** Do not check. */
	OFF

}
