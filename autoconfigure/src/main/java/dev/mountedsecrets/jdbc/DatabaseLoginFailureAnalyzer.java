package dev.mountedsecrets.jdbc;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link DatabaseLoginException}.
 */
class DatabaseLoginFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseLoginException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DatabaseLoginException cause) {
		String action = "Check that the secret holds the current password of '" + cause.getUsername()
				+ "' (ALTER ROLE " + cause.getUsername() + " PASSWORD ...) and that spring.datasource.username"
				+ " names the right role.";
		return new FailureAnalysis(cause.getMessage(), action, cause);
	}

}
