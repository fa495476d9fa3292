package dev.mountedsecrets.sample.web;

import java.util.HashSet;
import java.util.Set;

import jakarta.servlet.DispatcherType;

import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.core.user.OAuth2UserAuthority;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.web.SecurityFilterChain;

/**
 * Two doors. The API and actuator take bearer tokens signed with {@code token_secret_key}
 * (role USER for the API, OPS for actuator but health). Browsers sign in with Google (or the
 * local provider standing in for it): pages for role USER, the wiring dashboard for OPS, an
 * API token at {@code /token}. Sign-out also ends the provider's session when it offers
 * OpenID Connect logout, so that another account can sign in next.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	@Order(1)
	SecurityFilterChain apiAndActuator(HttpSecurity http) throws Exception {
		http.securityMatcher("/api/**", "/actuator/**")
			.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to("health"))
				.permitAll()
				.requestMatchers(EndpointRequest.toAnyEndpoint())
				.hasRole("OPS")
				.anyRequest()
				.hasRole("USER"))
			.oauth2ResourceServer((server) -> server.jwt((jwt) -> jwt.jwtAuthenticationConverter(rolesFromClaim())))
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable());
		return http.build();
	}

	@Bean
	@Order(2)
	SecurityFilterChain browser(HttpSecurity http, Roles roles, ClientRegistrationRepository registrations)
			throws Exception {
		OidcClientInitiatedLogoutSuccessHandler signedOut = new OidcClientInitiatedLogoutSuccessHandler(registrations);
		signedOut.setPostLogoutRedirectUri("{baseUrl}/signed-out");
		signedOut.setDefaultTargetUrl("/signed-out");
		http.authorizeHttpRequests((requests) -> requests.dispatcherTypeMatchers(DispatcherType.ERROR)
			.permitAll()
			.requestMatchers("/signed-out", "/error", "/css/**", "/js/**", "/favicon.ico")
			.permitAll()
			.requestMatchers("/dashboard", "/dashboard/**")
			.hasRole("OPS")
			.anyRequest()
			.hasRole("USER"))
			.oauth2Login((login) -> login.userInfoEndpoint((userInfo) -> userInfo.userAuthoritiesMapper(roles(roles)))
				.failureHandler((request, response, exception) -> response.sendError(401)))
			.logout((logout) -> logout.logoutSuccessHandler(signedOut));
		return http.build();
	}

	/**
	 * Browser sessions get the same roles as API tokens: USER, and OPS for the users listed
	 * in {@code sample.ops-users}.
	 */
	private static GrantedAuthoritiesMapper roles(Roles roles) {
		return (authorities) -> {
			Set<GrantedAuthority> mapped = new HashSet<>(authorities);
			for (GrantedAuthority authority : authorities) {
				String name = null;
				if (authority instanceof OidcUserAuthority oidc) {
					name = oidc.getIdToken().getSubject();
				}
				else if (authority instanceof OAuth2UserAuthority oauth2) {
					String attribute = oauth2.getUserNameAttributeName();
					name = String.valueOf(oauth2.getAttributes().get((attribute != null) ? attribute : "sub"));
				}
				if (name != null) {
					roles.of(name).forEach((role) -> mapped.add(new SimpleGrantedAuthority("ROLE_" + role)));
				}
			}
			return mapped;
		};
	}

	private static JwtAuthenticationConverter rolesFromClaim() {
		JwtGrantedAuthoritiesConverter authorities = new JwtGrantedAuthoritiesConverter();
		authorities.setAuthoritiesClaimName("roles");
		authorities.setAuthorityPrefix("ROLE_");
		JwtAuthenticationConverter converter = new JwtAuthenticationConverter();
		converter.setJwtGrantedAuthoritiesConverter(authorities);
		return converter;
	}

}
