package dev.mountedsecrets.logging;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.mountedsecrets.LeakForms;
import dev.mountedsecrets.ServedSecrets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Log4j2's {@code RoutingAppender} creates the appender of a route lazily, when the first
 * event for it arrives: after the masking looked at the configuration's appenders. What each
 * such appender writes is still masked. The secret is in a context (MDC) entry, so only the
 * masking of what an appender writes can hide it. Run in a class path with Log4j2 and no
 * Logback, in a Log4j2 context of the test's own (the process's stays as Boot set it up).
 */
@Tag("log4j2")
class Log4j2RoutingMaskingTests {

	private static final String SECRET = "Routed-Log-Secret-81f2c6d4";

	private final ServedSecrets served = new ServedSecrets();

	private final Object holder = new Object();

	@TempDir
	Path logs;

	@BeforeEach
	void serve() {
		this.served.record(List.of(SECRET));
		MaskingRegistries.add(this.served, this.holder);
	}

	@AfterEach
	void forget() {
		MaskingRegistries.forget(this.served, this.holder);
	}

	@Test
	void logWhenRoutingAppenderCreatesFileAppenderPerTenantMasksEachFile() throws IOException {
		Path configuration = this.logs.resolve("log4j2-routing.xml");
		Files.writeString(configuration, """
				<Configuration>
				  <Appenders>
				    <Routing name="Routing">
				      <Routes pattern="$${ctx:tenant}">
				        <Route>
				          <File name="File-${ctx:tenant}" fileName="%s/${ctx:tenant}.log">
				            <PatternLayout pattern="%%m token=%%X{token}%%n"/>
				          </File>
				        </Route>
				      </Routes>
				    </Routing>
				  </Appenders>
				  <Loggers>
				    <Root level="info">
				      <AppenderRef ref="Routing"/>
				    </Root>
				  </Loggers>
				</Configuration>
				""".formatted(this.logs));
		Log4j2Support.logPerTenant(configuration, SECRET, List.of("alpha", "beta"));
		for (String tenant : List.of("alpha", "beta")) {
			String written = Files.readString(this.logs.resolve(tenant + ".log"), StandardCharsets.UTF_8);
			assertThat(written).as("the line as written").contains("ordinary-" + tenant + " token=******");
			LeakForms.assertNoLeak(tenant + ".log", written, List.of(SECRET));
		}
	}

}
