package dev.foyer.directory;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

import tools.jackson.databind.JsonNode;

/**
 * One account as a line of an import or an export (JSON lines): its built-in attributes, its custom attribute values
 * by name, and its password hash. One record reads imports and writes exports, so that every export imports.
 * Absent means the default on import (customer, enabled, email not verified, no password) and is left out on export.
 *
 * @param passwordHash a hash string or a Keycloak-style object, see {@link ForeignPasswordHashes}; an export writes
 * Foyer's stored form
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record AccountLine(String email, String accountType, Boolean accountEnabled, Boolean emailVerified, String displayName,
		String givenName, String surname, String streetAddress, String city, String state, String postalCode,
		String country, String jobTitle, String companyName, Map<String, Object> attributes, JsonNode passwordHash) {

	Accounts.Profile profile() {
		return new Accounts.Profile(this.displayName, this.givenName, this.surname, this.streetAddress, this.city,
				this.state, this.postalCode, this.country, this.jobTitle, this.companyName);
	}

}
