package dev.mountedsecrets.sample.web;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.stereotype.Component;

/**
 * Issues API tokens signed with {@code token_secret_key}: the subject, its tenant and roles.
 */
@Component
public class TokenIssuer {

	static final Duration LIFETIME = Duration.ofHours(1);

	private final JwtEncoder encoder;

	public TokenIssuer(JwtEncoder encoder) {
		this.encoder = encoder;
	}

	public String issue(String subject, String tenant, List<String> roles) {
		Instant now = Instant.now();
		JwtClaimsSet claims = JwtClaimsSet.builder()
			.issuer("mounted-secrets-sample")
			.subject(subject)
			.issuedAt(now)
			.expiresAt(now.plus(LIFETIME))
			.claim("tenant", tenant)
			.claim("roles", roles)
			.build();
		JwsHeader header = JwsHeader.with(MacAlgorithm.HS256).build();
		return this.encoder.encode(JwtEncoderParameters.from(header, claims)).getTokenValue();
	}

}
