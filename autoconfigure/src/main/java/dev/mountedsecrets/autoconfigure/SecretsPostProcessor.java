package dev.mountedsecrets.autoconfigure;

import dev.mountedsecrets.SecretsEnvironmentPostProcessor;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * Boot 4's entry to {@link SecretsEnvironmentPostProcessor}, registered in
 * {@code spring.factories} under {@code org.springframework.boot.EnvironmentPostProcessor},
 * a key Boot 3 never reads. Installs the property sources as Boot 4 needs them
 * ({@link Boot4SecretsSources}: immutable, so Boot caches their property names).
 */
public final class SecretsPostProcessor implements EnvironmentPostProcessor, Ordered {

	private final SecretsEnvironmentPostProcessor delegate;

	public SecretsPostProcessor(DeferredLogFactory logFactory) {
		this.delegate = new SecretsEnvironmentPostProcessor(logFactory, Boot4SecretsSources.INSTANCE);
	}

	@Override
	public int getOrder() {
		return this.delegate.getOrder();
	}

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		this.delegate.postProcessEnvironment(environment, application);
	}

}
