package dev.mountedsecrets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.util.ContextInitializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Start-ups while Spring Boot sets up logging from a property bound to a secret, before any
 * bean exists: whether the start fails (a level, a charset, a format, a configuration file
 * named by the secret) or succeeds (a pattern made of it), the output shows {@code ******}
 * where the secret was and none of the secret's forms.
 */
@ExtendWith(OutputCaptureExtension.class)
class LoggingPropertyFailedStartTests {

	private static final String SECRET = "Logging-Bound-Secret-4f19c2e8";

	@TempDir
	Path secrets;

	private Properties systemProperties;

	@BeforeEach
	void keepSystemPropertiesAndConfigureLoggingAsInANewProcess() throws Exception {
		this.systemProperties = (Properties) System.getProperties().clone();
		// a failed set-up in the test before leaves Logback with no appender at all
		LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
		logback.reset();
		new ContextInitializer(logback).autoConfig();
	}

	@AfterEach
	void restoreSystemProperties() {
		// Boot's logging system publishes its settings as system properties, a secret's too
		System.setProperties(this.systemProperties);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "logging.level.root, ******", "logging.level.com.example, ******",
			"logging.pattern.console, ******", "logging.pattern.level, ******", "logging.pattern.dateformat, ******",
			"logging.structured.format.console, ******", "logging.config, ******", "logging.charset.console, ******",
			"logging.logback.rollingpolicy.max-file-size, ******", "logging.pattern.correlation, ******",
			// neither is ever printed: the application starts and logs
			"logging.threshold.console, started", "logging.group.web, started" })
	void startWhenLoggingPropertyBoundToSecretPrintsNoSecret(String property, String shown, CapturedOutput output) {
		SecretFiles.write(this.secrets, "log_setting", SECRET);
		String[] args = { "--secrets.dir=" + this.secrets, "--" + property + "=${secrets.file.log_setting}" };
		try (ConfigurableApplicationContext context = TestApplications
			.application(TestApplications.Empty.class, WebApplicationType.NONE, Map.of())
			.run(args)) {
			LoggerFactory.getLogger(LoggingPropertyFailedStartTests.class).warn("started");
		}
		catch (RuntimeException ex) {
			// the failure is reported to the output, which is what is checked
		}
		assertThat(output.getAll()).contains(shown);
		LeakForms.assertNoLeak("output", output.getAll(), List.of(SECRET));
	}

}
