package dev.mountedsecrets.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;

@WebMvcTest(properties = "secrets.required=api_token")
@TestSecret(name = "api_token", value = "token-for-the-slice")
class WebMvcSliceSecretsTests {

	@Autowired
	MockMvc mvc;

	@Test
	void startWhenASliceRequiresADeclaredSecretServesIt() throws Exception {
		this.mvc.perform(get("/has/api_token")).andExpect(content().string("true"));
		this.mvc.perform(get("/has/crypto_key")).andExpect(content().string("false"));
	}

	@Test
	void rotateWhenTheSliceHasNoReloaderSaysWhatIsMissing(TestSecretsFolder folder) {
		assertThatIllegalStateException().isThrownBy(() -> folder.rotate("api_token", "another-token"))
			.withMessageContaining("secrets.reload.enabled=true");
		assertThat(folder.path().resolve("api_token")).exists();
	}

}
