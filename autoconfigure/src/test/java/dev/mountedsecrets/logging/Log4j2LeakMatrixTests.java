package dev.mountedsecrets.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import dev.mountedsecrets.LeakForms;
import dev.mountedsecrets.SecretFiles;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leak matrix with Log4j2 as the logging system, as {@code spring-boot-starter-log4j2}
 * sets it up (run in a class path without Logback): every field a line can carry a secret in,
 * written by Boot's rolling file appender in each format (pattern, ECS, Logstash, GELF),
 * before and after Log4j2 takes a configuration again; the line shows the ordinary text of
 * each field and none of its secret's forms. Lines are logged at DEBUG under loggers at INFO
 * and let through by a filter that accepts them (Log4j2's {@code DynamicThresholdFilter}, as
 * used to turn DEBUG on for one user), so no level decision or filter is what masks them.
 * <p>
 * Each field has a secret of its own, so a leak names its field.
 */
@Tag("log4j2")
class Log4j2LeakMatrixTests {

	@TempDir
	Path secrets;

	@TempDir
	Path logs;

	private Properties systemProperties;

	@BeforeEach
	void keepSystemProperties() {
		this.systemProperties = (Properties) System.getProperties().clone();
		for (Field field : Field.values()) {
			SecretFiles.write(this.secrets, field.name().toLowerCase(), field.secret());
		}
	}

	@AfterEach
	void restoreSystemProperties() {
		MDC.clear();
		System.setProperties(this.systemProperties);
	}

	static Stream<Arguments> cells() {
		List<Arguments> cells = new ArrayList<>();
		for (Format format : Format.values()) {
			for (Reconfiguration reconfiguration : Reconfiguration.values()) {
				cells.add(Arguments.of(format, reconfiguration));
			}
		}
		return cells.stream();
	}

	@ParameterizedTest(name = "{0}, {1}")
	@MethodSource("cells")
	void logWhenEachFieldShowsSecretWritesOrdinaryTextAndMasksSecret(Format format, Reconfiguration reconfiguration)
			throws IOException {
		Path file = this.logs.resolve("app.log");
		try (ConfigurableApplicationContext context = run(format, file)) {
			reconfiguration.apply(this, format, file);
			Log4j2Support.acceptDebugFor("user", "debug-me");
			Logger logger = LoggerFactory.getLogger("matrix.app");
			assertThat(logger.isDebugEnabled()).as("DEBUG, below the logger's level").isFalse();
			for (Field field : Field.values()) {
				MDC.put("user", "debug-me");
				field.log(logger);
				MDC.clear();
			}
		}
		String written = Files.readString(file, StandardCharsets.UTF_8);
		SoftAssertions softly = new SoftAssertions();
		for (Field field : Field.values()) {
			softly.assertThat(written).as(field + ": the ordinary text").contains(format.ordinaryTextOf(field));
			softly.check(() -> LeakForms.assertNoLeak(field + " in " + format + ", " + reconfiguration, written,
					List.of(field.secret())));
		}
		softly.assertAll();
	}

	ConfigurableApplicationContext run(Format format, Path file) {
		SpringApplication application = new SpringApplication(Empty.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		List<String> args = new ArrayList<>(List.of("--secrets.dir=" + this.secrets, "--logging.file.name=" + file,
				"--logging.pattern.file=%p %c %marker %X %m%n%xEx", "--logging.structured.gelf.host=matrix-host",
				"--spring.application.name=matrix-app"));
		if (format != Format.PATTERN) {
			args.add("--logging.structured.format.file=" + format.name().toLowerCase());
		}
		return application.run(args.toArray(String[]::new));
	}

	@Configuration(proxyBeanMethods = false)
	static class Empty {

	}

	enum Field {

		MESSAGE("ordinary-message") {
			@Override
			void log(Logger logger) {
				logger.debug("ordinary-message " + secret());
			}
		},

		ARGUMENT("ordinary-argument") {
			@Override
			void log(Logger logger) {
				logger.debug("ordinary-argument {}", secret());
			}
		},

		MDC_ENTRY("ordinary-mdc") {
			@Override
			void log(Logger logger) {
				MDC.put("note", "ordinary-mdc");
				MDC.put("token", secret());
				logger.debug("an event with a token in the MDC");
			}
		},

		KEY_VALUE("ordinary-kv") {
			@Override
			void log(Logger logger) {
				logger.atDebug()
					.addKeyValue("kvnote", "ordinary-kv")
					.addKeyValue("kvtoken", secret())
					.log("an event with a token as a key-value pair");
			}
		},

		MARKER("ordinary-marker") {
			@Override
			void log(Logger logger) {
				logger.debug(MarkerFactory.getMarker("ordinary-marker-" + secret()), "an event with a marker");
			}
		},

		EXCEPTION("ordinary-exception") {
			@Override
			void log(Logger logger) {
				logger.debug("failed", new IllegalStateException("ordinary-exception " + secret()));
			}
		},

		DEEP_CAUSE("ordinary-deepest-cause") {
			@Override
			void log(Logger logger) {
				Throwable cause = new IllegalArgumentException("ordinary-deepest-cause " + secret());
				for (int i = 0; i < 40; i++) {
					cause = new IllegalStateException("wrapper " + i, cause);
				}
				logger.debug("failed", cause);
			}
		},

		OVERRIDDEN_TEXT("ordinary-overridden") {
			@Override
			void log(Logger logger) {
				String secret = secret();
				logger.debug("failed", new RuntimeException("ordinary-overridden") {

					@Override
					public String getMessage() {
						return "ordinary-overridden " + secret;
					}

					@Override
					public String getLocalizedMessage() {
						return "ordinary-overridden localized " + secret;
					}

					@Override
					public String toString() {
						return "ordinary-overridden toString " + secret;
					}

				});
			}
		},

		SUPPRESSED("ordinary-suppressed") {
			@Override
			void log(Logger logger) {
				IllegalStateException failure = new IllegalStateException("closing failed");
				failure.addSuppressed(new IOException("ordinary-suppressed " + secret()));
				logger.debug("failed", failure);
			}
		};

		final String ordinary;

		Field(String ordinary) {
			this.ordinary = ordinary;
		}

		/** This field's secret, unlike any other's. */
		String secret() {
			return "L4j2-" + name().replace('_', '-') + "-Secret-"
					+ HexFormat.of().toHexDigits(name().hashCode());
		}

		abstract void log(Logger logger);

	}

	enum Format {

		PATTERN, ECS, LOGSTASH, GELF;

		/** The ordinary text of a field as this format writes it: GELF writes no marker. */
		String ordinaryTextOf(Field field) {
			return (this == GELF && field == Field.MARKER) ? "an event with a marker" : field.ordinary;
		}

	}

	enum Reconfiguration {

		/** As Boot first set it up. */
		NONE {
			@Override
			void apply(Log4j2LeakMatrixTests test, Format format, Path file) {
			}
		},

		/** {@code LoggerContext.reconfigure()}, as {@code monitorInterval} does. */
		RECONFIGURED {
			@Override
			void apply(Log4j2LeakMatrixTests test, Format format, Path file) {
				Log4j2Support.reconfigure();
			}
		},

		/** Boot's logging system set up again, by a second application of the process. */
		SET_UP_AGAIN_BY_BOOT {
			@Override
			void apply(Log4j2LeakMatrixTests test, Format format, Path file) {
				test.run(format, file).close();
			}
		};

		abstract void apply(Log4j2LeakMatrixTests test, Format format, Path file);

	}

}
