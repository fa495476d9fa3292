package dev.mountedsecrets.actuate;

import dev.mountedsecrets.MountedSecrets;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * {@code secrets.loaded}: the secrets in use; {@code secrets.invalid}: the secret files that
 * break a rule when the folder is read now.
 */
public class SecretsMetrics implements MeterBinder {

	private final MountedSecrets secrets;

	public SecretsMetrics(MountedSecrets secrets) {
		this.secrets = secrets;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("secrets.loaded", this.secrets, (secrets) -> secrets.inUse().secrets().size())
			.description("Secrets the application uses")
			.register(registry);
		Gauge.builder("secrets.invalid", this.secrets, (secrets) -> secrets.problems(secrets.readFolder()).size())
			.description("Secret files that break a rule when read now")
			.register(registry);
	}

}
