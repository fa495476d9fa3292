package dev.mountedsecrets.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.json.JsonTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A slice with neither web nor the starter's auto-configuration: the starter's post-processor
 * still reads the folder at start-up, and the declared secret satisfies secrets.required.
 */
@JsonTest(properties = "secrets.required=api_token")
@TestSecret(name = "api_token", value = "token-for-the-json-slice")
class JsonSliceSecretsTests {

	@Autowired
	Environment environment;

	@Autowired
	ApplicationContext context;

	@Test
	void startWhenTheSliceRequiresADeclaredSecretServesItWithoutTheStartersBeans(TestSecretsFolder folder) {
		assertThat(this.environment.getProperty("secrets.file.api_token")).isEqualTo("token-for-the-json-slice");
		assertThat(this.environment.getProperty("secrets.dir")).isEqualTo(folder.path().toString());
		assertThat(this.context.getBeanNamesForType(dev.mountedsecrets.MountedSecrets.class)).isEmpty();
	}

}
