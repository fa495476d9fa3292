package dev.mountedsecrets.logging;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import dev.mountedsecrets.LeakForms;
import dev.mountedsecrets.SecretFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With Log4j2 as the logging system (run in a class path without Logback): start-ups while
 * Spring Boot sets up logging from a property bound to a secret, before any bean exists;
 * whether the start fails or succeeds, the output shows {@code ******} where the secret was
 * and none of its forms.
 */
@Tag("log4j2")
@ExtendWith(OutputCaptureExtension.class)
class Log4j2FailedStartTests {

	private static final String SECRET = "Log4j2-Bound-Secret-7d30a9e1";

	@TempDir
	Path secrets;

	private Properties systemProperties;

	@BeforeEach
	void keepSystemProperties() {
		this.systemProperties = (Properties) System.getProperties().clone();
	}

	@AfterEach
	void restoreSystemProperties() {
		System.setProperties(this.systemProperties);
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource({ "logging.level.root, ******", "logging.level.com.example, ******",
			"logging.pattern.console, ******", "logging.pattern.level, ******",
			"logging.structured.format.console, ******", "logging.charset.console, ******",
			"logging.pattern.correlation, ******",
			// Log4j2 upper-cases a level it cannot parse, and prints it
			"logging.threshold.console, ******",
			// never printed: the application starts and logs (the date pattern's letters are date fields)
			"logging.group.web, started", "logging.pattern.dateformat, started",
			// a configuration file that does not exist: Log4j2 prints nothing after the banner
			"logging.config, :: Spring Boot ::" })
	void startWhenLoggingPropertyBoundToSecretPrintsNoSecret(String property, String shown, CapturedOutput output) {
		SecretFiles.write(this.secrets, "log_setting", SECRET);
		SpringApplication application = new SpringApplication(Empty.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--secrets.dir=" + this.secrets,
				"--" + property + "=${secrets.file.log_setting}")) {
			LoggerFactory.getLogger(Log4j2FailedStartTests.class).warn("started");
		}
		catch (RuntimeException ex) {
			// the failure is reported to the output, which is what is checked
		}
		assertThat(output.getAll()).contains(shown);
		LeakForms.assertNoLeak("output", output.getAll(), List.of(SECRET));
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

}
