package dev.mountedsecrets.actuate;

import dev.mountedsecrets.MountedSecrets;
import dev.mountedsecrets.reload.SecretsReloader;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * {@code secrets.loaded}: the secrets in use; {@code secrets.invalid}: the secret files that
 * break a rule when the folder is read now; with reload on, {@code secrets.reloads} and
 * {@code secrets.reloads.rejected}.
 */
public class SecretsMetrics implements MeterBinder {

	private final MountedSecrets secrets;

	private final @Nullable SecretsReloader reloader;

	public SecretsMetrics(MountedSecrets secrets, @Nullable SecretsReloader reloader) {
		this.secrets = secrets;
		this.reloader = reloader;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("secrets.loaded", this.secrets, (secrets) -> secrets.inUse().secrets().size())
			.description("Secrets the application uses")
			.register(registry);
		Gauge.builder("secrets.invalid", this.secrets, (secrets) -> secrets.problems(secrets.readFolder()).size())
			.description("Secret files that break a rule when read now")
			.register(registry);
		if (this.reloader != null) {
			FunctionCounter.builder("secrets.reloads", this.reloader, SecretsReloader::rotations)
				.description("Rotations applied without restart")
				.register(registry);
			FunctionCounter.builder("secrets.reloads.rejected", this.reloader, SecretsReloader::refusals)
				.description("Changed secret files refused, keeping the last good value")
				.register(registry);
		}
	}

}
