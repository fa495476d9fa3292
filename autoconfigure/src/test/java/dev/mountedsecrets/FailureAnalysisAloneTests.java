package dev.mountedsecrets;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The failure analysis as a layer of its own: what {@link ServedSecretFailureAnalyzer} returns
 * for a failed start-up (description, action, and the cause any reporter may print, in each of
 * its renderings) shows no secret, read straight from the analysis. The tests that read the
 * printed report ({@link FailedStartLeakTests}) would stay green with the analysis printing
 * the raw message, because the log masking cleans the line anyway.
 */
class FailureAnalysisAloneTests {

	private static final String NOT_A_NUMBER = "Alone-Pin-Not-A-Number-4417";

	private static final String THROWN = "Alone-Thrown-Key-9b2e77aa";

	@TempDir
	Path secrets;

	@Test
	void analyzeWhenSecretBoundToIntMasksItInEveryPart() {
		SecretFiles.write(this.secrets, "pin_code", NOT_A_NUMBER);
		FailureAnalysis analysis = analyzeFailedStart(FailedStartLeakTests.NumberApplication.class,
				"--app.pin=${secrets.file.pin_code}");
		assertThat(analysis.getDescription()).contains("Failed to bind properties under 'app.pin'")
			.contains("Value: \"******\"")
			.contains(this.secrets.resolve("pin_code").toString());
		assertShowsNoSecret(analysis, NOT_A_NUMBER);
	}

	@Test
	void analyzeWhenBeanThrowsWithSecretInMessageMasksItInEveryPart() {
		SecretFiles.write(this.secrets, "crypto_key", THROWN);
		FailureAnalysis analysis = analyzeFailedStart(FailedStartLeakTests.ThrowingApplication.class,
				"--secrets.min-length.crypto_key=8");
		assertThat(analysis.getDescription()).contains("cannot use key ******")
			.contains(this.secrets.resolve("crypto_key").toString());
		assertShowsNoSecret(analysis, THROWN);
	}

	private FailureAnalysis analyzeFailedStart(Class<?> configuration, String... args) {
		AtomicReference<ConfigurableEnvironment> environment = new AtomicReference<>();
		SpringApplication application = TestApplications.application(configuration, WebApplicationType.NONE,
				Map.of());
		application.addListeners((ApplicationListener<ApplicationEnvironmentPreparedEvent>) (event) -> environment
			.set(event.getEnvironment()));
		List<String> all = new ArrayList<>(List.of("--secrets.dir=" + this.secrets));
		all.addAll(List.of(args));
		Throwable failure = catchThrowable(() -> application.run(all.toArray(String[]::new)));
		assertThat(failure).as("the start-up fails").isNotNull();
		FailureAnalysis analysis = new ServedSecretFailureAnalyzer(environment.get()).analyze(failure);
		assertThat(analysis).as("the analyzer reports the failure").isNotNull();
		return analysis;
	}

	private static void assertShowsNoSecret(FailureAnalysis analysis, String secret) {
		List<String> shown = new ArrayList<>(List.of(analysis.getDescription(), analysis.getAction()));
		for (Throwable cause = analysis.getCause(); cause != null; cause = cause.getCause()) {
			shown.add(String.valueOf(cause.getMessage()));
			shown.add(String.valueOf(cause.getLocalizedMessage()));
			shown.add(cause.toString());
			for (Throwable suppressed : cause.getSuppressed()) {
				shown.add(suppressed.toString());
			}
		}
		LeakForms.assertNoLeak("the failure analysis", String.join("\n", shown), List.of(secret));
	}

}
