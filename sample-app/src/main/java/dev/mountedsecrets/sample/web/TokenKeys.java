package dev.mountedsecrets.sample.web;

import java.nio.charset.StandardCharsets;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * HMAC-SHA256 token signing and checking with the {@code token_secret_key} secret (at least
 * 32 characters, so at least the 256 bits HS256 needs).
 */
@Configuration(proxyBeanMethods = false)
class TokenKeys {

	@Bean
	JwtDecoder jwtDecoder(@Value("${secrets.file.token_secret_key}") String tokenSecretKey) {
		return NimbusJwtDecoder.withSecretKey(key(tokenSecretKey)).macAlgorithm(MacAlgorithm.HS256).build();
	}

	@Bean
	JwtEncoder jwtEncoder(@Value("${secrets.file.token_secret_key}") String tokenSecretKey) {
		return NimbusJwtEncoder.withSecretKey(key(tokenSecretKey)).algorithm(MacAlgorithm.HS256).build();
	}

	static SecretKey key(String tokenSecretKey) {
		return new SecretKeySpec(tokenSecretKey.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
	}

}
