package dev.mountedsecrets.logging;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.mountedsecrets.LeakForms;
import dev.mountedsecrets.ServedSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.MarkerFactory;

import org.springframework.core.env.Environment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every field a log line can carry a secret in, written by a file appender in each format
 * (pattern, ECS, Logstash, GELF), before and after Logback is configured again: the line
 * shows the ordinary text of the field and none of the secret's forms. Every line is logged
 * at DEBUG under a logger at INFO and let through by a filter that accepts it (Logback's
 * {@code MDCFilter}, as used to turn DEBUG on for one user), so no level decision or filter
 * is what masks it.
 */
class LogbackLeakMatrixTests {

	private static final String SECRET = "Matrix-Log-Secret-5e2b7d10";

	private final ServedSecrets served = new ServedSecrets();

	private final Object holder = new Object();

	private final LoggerContext context = new LoggerContext();

	@TempDir
	Path logs;

	@BeforeEach
	void serve() {
		this.served.record(List.of(SECRET));
		LogbackMasking.install(this.served, this.holder);
		this.context.setName("leak-matrix");
		this.context.setMDCAdapter(MDC.getMDCAdapter());
	}

	@AfterEach
	void forget() {
		LogbackMasking.forget(this.served, this.holder);
		this.context.stop();
		MDC.clear();
	}

	static Stream<Arguments> cells() {
		List<Arguments> cells = new ArrayList<>();
		for (Field field : Field.values()) {
			for (Format format : Format.values()) {
				for (Reconfiguration reconfiguration : Reconfiguration.values()) {
					cells.add(Arguments.of(field, format, reconfiguration));
				}
			}
		}
		return cells.stream();
	}

	@ParameterizedTest(name = "{0} in {1}, {2}")
	@MethodSource("cells")
	void logWhenFieldShowsSecretWritesOrdinaryTextAndMasksSecret(Field field, Format format,
			Reconfiguration reconfiguration) throws Exception {
		Path file = this.logs.resolve("app.log");
		LogbackOutputMasking.installOn(this.context);
		configure(format, file);
		reconfiguration.apply(this, format, file);
		org.slf4j.Logger logger = this.context.getLogger("matrix.app");
		MDC.put("user", "debug-me");
		field.log(logger);
		MDC.clear();
		this.context.stop();
		String written = Files.readString(file, StandardCharsets.UTF_8);
		assertThat(written).as("the line as written").contains(format.ordinaryTextOf(field));
		LeakForms.assertNoLeak(field + " in " + format + ", " + reconfiguration, written, List.of(SECRET));
	}

	void configure(Format format, Path file) throws JoranException {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("matrix", Map.of("spring.application.name", "matrix-app",
					"logging.structured.gelf.host", "matrix-host")));
		this.context.putObject(Environment.class.getName(), environment);
		String configuration = """
				<configuration>
				  <turboFilter class="ch.qos.logback.classic.turbo.MDCFilter">
				    <MDCKey>user</MDCKey>
				    <Value>debug-me</Value>
				    <OnMatch>ACCEPT</OnMatch>
				  </turboFilter>
				  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
				    <file>%s</file>
				    %s
				  </appender>
				  <appender name="ASYNC" class="ch.qos.logback.classic.AsyncAppender">
				    <appender-ref ref="FILE"/>
				  </appender>
				  <root level="INFO">
				    <appender-ref ref="ASYNC"/>
				  </root>
				</configuration>
				""".formatted(file, format.encoder);
		JoranConfigurator configurator = new JoranConfigurator();
		configurator.setContext(this.context);
		configurator.doConfigure(new ByteArrayInputStream(configuration.getBytes(StandardCharsets.UTF_8)));
	}

	enum Field {

		MESSAGE("ordinary-message") {
			@Override
			void log(Logger logger) {
				logger.debug("ordinary-message " + SECRET);
			}
		},

		ARGUMENT("ordinary-argument") {
			@Override
			void log(Logger logger) {
				logger.debug("ordinary-argument {}", SECRET);
			}
		},

		MDC_ENTRY("ordinary-mdc") {
			@Override
			void log(Logger logger) {
				MDC.put("note", "ordinary-mdc");
				MDC.put("token", SECRET);
				logger.debug("an event with a token in the MDC");
			}
		},

		KEY_VALUE("ordinary-kv") {
			@Override
			void log(Logger logger) {
				logger.atDebug()
					.addKeyValue("note", "ordinary-kv")
					.addKeyValue("token", SECRET)
					.log("an event with a token as a key-value pair");
			}
		},

		MARKER("ordinary-marker") {
			@Override
			void log(Logger logger) {
				logger.debug(MarkerFactory.getDetachedMarker("ordinary-marker-" + SECRET), "an event with a marker");
			}
		},

		EXCEPTION("ordinary-exception") {
			@Override
			void log(Logger logger) {
				logger.debug("failed", new IllegalStateException("ordinary-exception " + SECRET));
			}
		},

		DEEP_CAUSE("ordinary-deepest-cause") {
			@Override
			void log(Logger logger) {
				Throwable cause = new IllegalArgumentException("ordinary-deepest-cause " + SECRET);
				for (int i = 0; i < 40; i++) {
					cause = new IllegalStateException("wrapper " + i, cause);
				}
				logger.debug("failed", cause);
			}
		},

		OVERRIDDEN_TEXT("ordinary-overridden") {
			@Override
			void log(Logger logger) {
				logger.debug("failed", new RuntimeException("ordinary-overridden") {

					@Override
					public String getMessage() {
						return "ordinary-overridden " + SECRET;
					}

					@Override
					public String getLocalizedMessage() {
						return "ordinary-overridden localized " + SECRET;
					}

					@Override
					public String toString() {
						return "ordinary-overridden toString " + SECRET;
					}

				});
			}
		},

		SUPPRESSED("ordinary-suppressed") {
			@Override
			void log(Logger logger) {
				IllegalStateException failure = new IllegalStateException("closing failed");
				failure.addSuppressed(new IOException("ordinary-suppressed " + SECRET));
				logger.debug("failed", failure);
			}
		};

		final String ordinary;

		Field(String ordinary) {
			this.ordinary = ordinary;
		}

		abstract void log(Logger logger);

	}

	enum Format {

		PATTERN("""
				<encoder>
				  <pattern>%d %-5level [%thread] %logger %marker %mdc %kvp - %msg%n%ex</pattern>
				</encoder>
				"""),

		ECS(structured("ecs")),

		LOGSTASH(structured("logstash")),

		GELF(structured("gelf"));

		final String encoder;

		Format(String encoder) {
			this.encoder = encoder;
		}

		/** The ordinary text of a field as this format writes it: GELF writes no marker. */
		String ordinaryTextOf(Field field) {
			return (this == GELF && field == Field.MARKER) ? "an event with a marker" : field.ordinary;
		}

		private static String structured(String format) {
			return """
					<encoder class="org.springframework.boot.logging.logback.StructuredLogEncoder">
					  <format>%s</format>
					</encoder>
					""".formatted(format);
		}

	}

	enum Reconfiguration {

		/** As first configured. */
		NONE {
			@Override
			void apply(LogbackLeakMatrixTests test, Format format, Path file) {
			}
		},

		/** {@code reset()} and a configuration file read again, as {@code scan} does. */
		RESET_AND_CONFIGURED_AGAIN {
			@Override
			void apply(LogbackLeakMatrixTests test, Format format, Path file) throws JoranException {
				test.context.reset();
				test.configure(format, file);
			}
		},

		/**
		 * {@code stop()}, which drops every context listener, reset-resistant or not, then a
		 * configuration file read again.
		 */
		STOPPED_AND_CONFIGURED_AGAIN {
			@Override
			void apply(LogbackLeakMatrixTests test, Format format, Path file) throws JoranException {
				test.context.stop();
				test.context.reset();
				test.configure(format, file);
				test.context.start();
			}
		};

		abstract void apply(LogbackLeakMatrixTests test, Format format, Path file) throws JoranException;

	}

}
