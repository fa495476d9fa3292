package dev.mountedsecrets.test;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.context.ApplicationContext;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * Hands a test method or constructor the {@link TestSecretsFolder} of the test's application
 * context. Applied by {@link TestSecret} and {@link TestSecrets}; the test's context is the one
 * Spring's own extension loads for the class.
 */
public final class TestSecretsExtension implements ParameterResolver {

	@Override
	public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		return parameterContext.getParameter().getType() == TestSecretsFolder.class;
	}

	@Override
	public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
		ApplicationContext context = SpringExtension.getApplicationContext(extensionContext);
		TestSecretsFolder folder = TestSecretsFolder.in(context);
		if (folder == null) {
			throw new ParameterResolutionException("The application context of " + extensionContext.getRequiredTestClass()
					+ " has no test secrets folder: declare its secrets with @TestSecret");
		}
		return folder;
	}

}
