package dev.mountedsecrets;

/**
 * Format of the pre-flight report on standard output.
 */
public enum PreflightFormat {

	/** Lines for a person: the outcome, each problem with what to do, warnings and passed checks. */
	TEXT,

	/** One JSON object for machines. */
	JSON

}
