package dev.mountedsecrets;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.logging.LoggingInitializationContext;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log masking as an application gets it from Spring Boot's own logging set-up: structured
 * console formats with a secret in the MDC, a key-value pair and a marker; logging set up
 * again by another application of the process or by code; an appender added by a bean. The
 * secret is in the MDC, which only the masking of what appenders write can reach.
 */
@ExtendWith(OutputCaptureExtension.class)
class BootLogMaskingTests {

	private static final String SECRET = "Boot-Log-Secret-0b7e93a1";

	@TempDir
	Path secrets;

	@TempDir
	Path otherSecrets;

	private Properties systemProperties;

	@BeforeEach
	void keepSystemProperties() {
		this.systemProperties = (Properties) System.getProperties().clone();
		SecretFiles.write(this.secrets, "api_key", SECRET);
	}

	@AfterEach
	void restoreSystemProperties() {
		MDC.clear();
		System.setProperties(this.systemProperties);
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "ecs", "logstash", "gelf" })
	void logWhenStructuredConsoleFormatWritesSecretInMdcKeyValueOrMarkerMasksIt(String format,
			CapturedOutput output) {
		try (ConfigurableApplicationContext context = run("--logging.structured.format.console=" + format,
				"--logging.structured.gelf.host=boot-host")) {
			Logger logger = LoggerFactory.getLogger("boot.structured");
			MDC.put("note", "ordinary-mdc");
			MDC.put("token", SECRET);
			logger.atWarn()
				.addKeyValue("kv", "ordinary-kv")
				.addKeyValue("credential", SECRET)
				.addMarker(MarkerFactory.getDetachedMarker("ordinary-marker-" + SECRET))
				.log("structured line");
			MDC.clear();
		}
		assertThat(output.getAll()).contains("structured line").contains("ordinary-mdc").contains("ordinary-kv");
		if (!format.equals("gelf")) {
			// GELF has no field for markers
			assertThat(output.getAll()).contains("ordinary-marker-" + ServedSecrets.MASK);
		}
		LeakForms.assertNoLeak("output", output.getAll(), List.of(SECRET));
	}

	@Test
	void logWhenAnotherApplicationSetsUpLoggingAgainKeepsMasking(CapturedOutput output) {
		try (ConfigurableApplicationContext first = run()) {
			try (ConfigurableApplicationContext second = TestApplications
				.application(TestApplications.Empty.class, WebApplicationType.NONE, Map.of())
				.run("--secrets.dir=" + this.otherSecrets, "--logging.pattern.console=AGAIN %X{token} %m%n")) {
				MDC.put("token", SECRET);
				LoggerFactory.getLogger("boot.again").warn("after logging was set up again");
			}
		}
		assertThat(output.getAll()).contains("AGAIN " + ServedSecrets.MASK + " after logging was set up again");
		LeakForms.assertNoLeak("output", output.getAll(), List.of(SECRET));
	}

	@Test
	void logWhenLoggingSystemInitializedAgainInCodeKeepsMasking(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run("--logging.pattern.console=DIRECT %X{token} %m%n")) {
			// as a library or a test would: no application event, Logback's stop() on the way
			LoggingSystem system = LoggingSystem.get(getClass().getClassLoader());
			system.cleanUp();
			system.beforeInitialize();
			system.initialize(new LoggingInitializationContext(context.getEnvironment()), null, null);
			MDC.put("token", SECRET);
			LoggerFactory.getLogger("boot.direct").warn("after logging was initialized again");
		}
		assertThat(output.getAll()).contains("DIRECT " + ServedSecrets.MASK + " after logging was initialized again");
		LeakForms.assertNoLeak("output", output.getAll(), List.of(SECRET));
	}

	@Test
	void logWhenBeanAddsAnAppenderMasksItsOutput(CapturedOutput output) {
		try (ConfigurableApplicationContext context = run(AppenderApplication.class)) {
			MDC.put("token", SECRET);
			LoggerFactory.getLogger("boot.added").warn("through an added appender");
		}
		assertThat(output.getAll()).contains("ADDED " + ServedSecrets.MASK + " through an added appender");
		LeakForms.assertNoLeak("output", output.getAll(), List.of(SECRET));
	}

	private ConfigurableApplicationContext run(String... args) {
		return run(TestApplications.Empty.class, args);
	}

	private ConfigurableApplicationContext run(Class<?> application, String... args) {
		String[] all = new String[args.length + 1];
		all[0] = "--secrets.dir=" + this.secrets;
		System.arraycopy(args, 0, all, 1, args.length);
		return TestApplications.application(application, WebApplicationType.NONE, Map.of()).run(all);
	}

	@Configuration(proxyBeanMethods = false)
	static class AppenderApplication {

		@Bean
		ConsoleAppender<ILoggingEvent> addedAppender() {
			LoggerContext logback = (LoggerContext) LoggerFactory.getILoggerFactory();
			PatternLayoutEncoder encoder = new PatternLayoutEncoder();
			encoder.setContext(logback);
			encoder.setPattern("ADDED %X{token} %m%n");
			encoder.start();
			ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
			appender.setContext(logback);
			appender.setEncoder(encoder);
			appender.start();
			ch.qos.logback.classic.Logger logger = logback.getLogger("boot.added");
			logger.addAppender(appender);
			logger.setAdditive(false);
			return appender;
		}

	}

}
