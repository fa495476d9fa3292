package dev.mountedsecrets.logging;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import dev.mountedsecrets.LeakForms;
import dev.mountedsecrets.ServedSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.MDC;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Logback's {@code SiftingAppender} creates its nested appenders lazily, one per value of its
 * discriminator, when the first event with that value arrives: long after the masking looked
 * at the context's appenders. What each nested appender writes is still masked. The secret is
 * in an MDC entry, which only the masking of written bytes sees (the filter masks messages).
 */
@ExtendWith(OutputCaptureExtension.class)
class LogbackSiftingMaskingTests {

	private static final String SECRET = "Sifted-Log-Secret-3c9e41b7";

	private final ServedSecrets served = new ServedSecrets();

	private final Object holder = new Object();

	private final LoggerContext context = new LoggerContext();

	@TempDir
	Path logs;

	@BeforeEach
	void serve() {
		this.served.record(List.of(SECRET));
		LogbackMasking.install(this.served, this.holder);
		this.context.setName("sifting");
		this.context.setMDCAdapter(MDC.getMDCAdapter());
	}

	@AfterEach
	void forget() {
		LogbackMasking.forget(this.served, this.holder);
		this.context.stop();
		MDC.clear();
	}

	@Test
	void logWhenSiftingAppenderCreatesFileAppenderPerTenantMasksEachFile() throws Exception {
		LogbackOutputMasking.installOn(this.context);
		configure("""
				<appender name="FILE-${tenant}" class="ch.qos.logback.core.FileAppender">
				  <file>%s/${tenant}.log</file>
				  <encoder><pattern>%%msg token=%%X{token}%%n</pattern></encoder>
				</appender>
				""".formatted(this.logs));
		logForTenants();
		assertMasked(this.logs.resolve("alpha.log"), "ordinary-alpha");
		assertMasked(this.logs.resolve("beta.log"), "ordinary-beta");
	}

	@Test
	void logWhenSiftingAppenderCreatesRollingFileAppenderAfterReconfigurationMasksIt() throws Exception {
		LogbackOutputMasking.installOn(this.context);
		String nested = """
				<appender name="ROLLING-${tenant}" class="ch.qos.logback.core.rolling.RollingFileAppender">
				  <file>%1$s/${tenant}.log</file>
				  <rollingPolicy class="ch.qos.logback.core.rolling.TimeBasedRollingPolicy">
				    <fileNamePattern>%1$s/${tenant}.%%d{yyyy-MM-dd}.log</fileNamePattern>
				  </rollingPolicy>
				  <encoder class="org.springframework.boot.logging.logback.StructuredLogEncoder">
				    <format>ecs</format>
				  </encoder>
				</appender>
				""".formatted(this.logs);
		configure(nested);
		this.context.reset();
		configure(nested);
		logForTenants();
		assertMasked(this.logs.resolve("alpha.log"), "ordinary-alpha");
		assertMasked(this.logs.resolve("beta.log"), "ordinary-beta");
	}

	@Test
	void logWhenSiftingAppenderCreatesConsoleAppenderMasksIt(CapturedOutput output) throws Exception {
		LogbackOutputMasking.installOn(this.context);
		configure("""
				<appender name="CONSOLE-${tenant}" class="ch.qos.logback.core.ConsoleAppender">
				  <encoder><pattern>%msg token=%X{token}%n</pattern></encoder>
				</appender>
				""");
		logForTenants();
		assertThat(output).contains("ordinary-alpha token=******", "ordinary-beta token=******");
		LeakForms.assertNoLeak("console", output.getAll(), List.of(SECRET));
	}

	private void logForTenants() {
		Logger logger = this.context.getLogger("sifted.app");
		for (String tenant : List.of("alpha", "beta")) {
			MDC.put("tenant", tenant);
			MDC.put("token", SECRET);
			logger.info("ordinary-" + tenant);
			MDC.clear();
		}
		this.context.stop();
	}

	private void assertMasked(Path file, String ordinary) throws Exception {
		String written = Files.readString(file, StandardCharsets.UTF_8);
		assertThat(written).as("the line as written").contains(ordinary);
		LeakForms.assertNoLeak(file.getFileName().toString(), written, List.of(SECRET));
	}

	private void configure(String nestedAppender) throws JoranException {
		// what Boot's structured encoder reads, as Boot's logging system puts it there
		this.context.putObject(Environment.class.getName(), new StandardEnvironment());
		String configuration = """
				<configuration>
				  <appender name="SIFT" class="ch.qos.logback.classic.sift.SiftingAppender">
				    <discriminator>
				      <key>tenant</key>
				      <defaultValue>none</defaultValue>
				    </discriminator>
				    <sift>
				      %s
				    </sift>
				  </appender>
				  <root level="INFO">
				    <appender-ref ref="SIFT"/>
				  </root>
				</configuration>
				""".formatted(nestedAppender);
		JoranConfigurator configurator = new JoranConfigurator();
		configurator.setContext(this.context);
		configurator.doConfigure(new ByteArrayInputStream(configuration.getBytes(StandardCharsets.UTF_8)));
	}

}
