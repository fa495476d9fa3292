package dev.mountedsecrets.logging;

import java.nio.file.Path;

import dev.mountedsecrets.SecretFiles;
import dev.mountedsecrets.ServedSecrets;
import jakarta.annotation.PreDestroy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an application logs while it stops (a listener of the close, a lifecycle stop as a
 * graceful shutdown runs, a {@code @PreDestroy} method) is masked: the registry is let go of
 * only after the last bean is destroyed.
 */
@ExtendWith(OutputCaptureExtension.class)
class LogMaskingAtShutdownTests {

	private static final String VALUE = "Shutdown-Secret-7f3a9c21d";

	@TempDir
	Path dir;

	@Test
	void closeWhenBeansLogTheSecretWhileStoppingMasksEveryLineThenLetsGoOfTheRegistry(CapturedOutput output) {
		SecretFiles.write(this.dir, "shutdown_token", VALUE);
		SpringApplication application = new SpringApplication(LoggingWhileStopping.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		ConfigurableApplicationContext context = application.run("--secrets.dir=" + this.dir,
				"--spring.main.banner-mode=off");
		ServedSecrets served = ServedSecrets.in(context.getEnvironment());
		assertThat(MaskingRegistries.inUse()).contains(served);
		context.close();
		assertThat(output).contains("closing with ******", "stopping with ******", "destroyed with ******")
			.doesNotContain(VALUE);
		assertThat(MaskingRegistries.inUse()).doesNotContain(served);
	}

	@Configuration(proxyBeanMethods = false)
	static class LoggingWhileStopping {

		@Bean
		Stopping stopping(@Value("${secrets.file.shutdown_token}") String token) {
			return new Stopping(token);
		}

	}

	static class Stopping implements SmartLifecycle {

		private static final Logger logger = LoggerFactory.getLogger(Stopping.class);

		private final String token;

		private volatile boolean running;

		Stopping(String token) {
			this.token = token;
		}

		@EventListener
		void closing(ContextClosedEvent event) {
			logger.info("closing with {}", this.token);
		}

		@Override
		public void start() {
			this.running = true;
		}

		@Override
		public void stop() {
			logger.warn("stopping with {}", this.token);
			this.running = false;
		}

		@Override
		public boolean isRunning() {
			return this.running;
		}

		@PreDestroy
		void destroyed() {
			logger.error("destroyed with {}", this.token);
		}

	}

}
