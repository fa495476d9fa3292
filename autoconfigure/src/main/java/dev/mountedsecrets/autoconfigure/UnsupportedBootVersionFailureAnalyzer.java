package dev.mountedsecrets.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a Spring Boot too old for the starter as a message, not a stack trace.
 */
public class UnsupportedBootVersionFailureAnalyzer extends AbstractFailureAnalyzer<UnsupportedBootVersionException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, UnsupportedBootVersionException cause) {
		return new FailureAnalysis(cause.getMessage() + ".",
				"Upgrade the application to " + UnsupportedBootVersionException.SUPPORTED
						+ ", or remove mounted-secrets-spring-boot-starter.",
				cause);
	}

}
