package dev.mountedsecrets.sample.notes;

import dev.mountedsecrets.sample.SampleSecrets;
import dev.mountedsecrets.test.TestSecret;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The field cipher with its key read from a secret file, as at run time: the sample's
 * application.yml requires nine secrets, and {@link SampleSecrets} declares them, so this
 * test needs neither /run/secrets nor a folder of its own making.
 */
@SpringBootTest(classes = FieldCipher.class, webEnvironment = WebEnvironment.NONE)
@SampleSecrets
class FieldCipherTests {

	@Autowired
	FieldCipher cipher;

	@Test
	void encryptWhenKeyIsReadFromTheSecretFileRoundTripsAndHidesTheText() {
		String sealed = this.cipher.encrypt("the launch code is 0000");
		assertThat(sealed).doesNotContain("launch").isBase64();
		assertThat(this.cipher.decrypt(sealed)).isEqualTo("the launch code is 0000");
	}

	@Nested
	@TestSecret(name = "crypto_key", value = "another-crypto-key-of-at-least-32-characters")
	class AnotherKey {

		@Autowired
		FieldCipher fromFile;

		@Test
		void decryptWhenTheKeyFileIsDeclaredReadsOnlyTextSealedWithThatKey() {
			FieldCipher sameKey = new FieldCipher("another-crypto-key-of-at-least-32-characters");
			FieldCipher otherKey = new FieldCipher("a-third-crypto-key-of-at-least-32-characters");
			assertThat(this.fromFile.decrypt(sameKey.encrypt("tenant data"))).isEqualTo("tenant data");
			assertThatIllegalStateException().isThrownBy(() -> this.fromFile.decrypt(otherKey.encrypt("tenant data")))
				.withMessageContaining("was crypto_key changed?");
		}

	}

}
