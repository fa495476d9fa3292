package dev.mountedsecrets.jdbc;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a {@link LeastPrivilegeException}.
 */
class LeastPrivilegeFailureAnalyzer extends AbstractFailureAnalyzer<LeastPrivilegeException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, LeastPrivilegeException cause) {
		String description = cause.getMessage()
				+ ". The application must use an unprivileged role so that row-level security applies to it.";
		String action = "Point spring.datasource.username at an unprivileged role (default app_user, created with"
				+ " NOSUPERUSER NOBYPASSRLS) and keep the admin role for migrations (spring.flyway.user)."
				+ " To start anyway, set secrets.datasource.least-privilege=warn (or off).";
		return new FailureAnalysis(description, action, cause);
	}

}
