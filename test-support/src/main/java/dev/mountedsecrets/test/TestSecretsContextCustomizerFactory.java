package dev.mountedsecrets.test;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Makes the secrets a test declares part of its context's identity, so that Spring's context
 * cache keeps a context per set of secrets. Registered in {@code spring.factories}.
 */
public final class TestSecretsContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		SecretsDeclaration declaration = SecretsDeclaration.of(testClass);
		return (declaration != null) ? new TestSecretsContextCustomizer(declaration) : null;
	}

}
