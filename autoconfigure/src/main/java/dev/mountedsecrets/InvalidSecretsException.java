package dev.mountedsecrets;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Thrown at start-up when secret files cannot be used. Names the files, the properties they
 * feed and the rules they break; never any part of a value.
 *
 * @see InvalidSecretsFailureAnalyzer
 */
public class InvalidSecretsException extends RuntimeException {

	private final List<SecretProblem> problems;

	/**
	 * Create an exception for the given problems.
	 * @param problems what is wrong, one entry per file
	 */
	public InvalidSecretsException(List<SecretProblem> problems) {
		super(message(problems));
		this.problems = List.copyOf(problems);
	}

	/**
	 * What is wrong, one entry per file.
	 * @return the problems
	 */
	public List<SecretProblem> getProblems() {
		return this.problems;
	}

	private static String message(List<SecretProblem> problems) {
		return "Invalid secrets: " + problems.stream().map(SecretProblem::describe).collect(Collectors.joining("; "));
	}

}
