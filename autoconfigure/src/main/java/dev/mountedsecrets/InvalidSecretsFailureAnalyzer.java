package dev.mountedsecrets;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidSecretsException}: one line per file with the properties it feeds
 * and the rule it breaks, and what to do about each.
 */
class InvalidSecretsFailureAnalyzer extends AbstractFailureAnalyzer<InvalidSecretsException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidSecretsException cause) {
		StringBuilder description = new StringBuilder("Secret files could not be used:\n");
		StringBuilder action = new StringBuilder("Fix the secret files listed above:\n");
		for (SecretProblem problem : cause.getProblems()) {
			description.append("\n    - ").append(problem.describe());
			action.append("\n    - ").append(problem.file()).append(": ").append(problem.action());
		}
		return new FailureAnalysis(description.toString(), action.toString(), cause);
	}

}
