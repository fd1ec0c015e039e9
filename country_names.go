package attain

import "strings"

// countryNames maps the English short names of the ISO 3166-1 countries, in
// the form NameKey gives (lowercase, single spaces), to their alpha-2 codes,
// with the other names CRM exports commonly use (USA, Russia, Great
// Britain). "UK" stays refused, as the code is (see country.go). Our own
// table, kept beside the code list in country.go.
var countryNames = func() map[string]string {
	const table = `AD Andorra; AE United Arab Emirates; AF Afghanistan; AG Antigua and Barbuda; AI Anguilla; AL Albania;
		AM Armenia; AO Angola; AQ Antarctica; AR Argentina; AS American Samoa; AT Austria; AU Australia; AW Aruba;
		AX Åland Islands; AX Aland Islands; AZ Azerbaijan; BA Bosnia and Herzegovina; BB Barbados; BD Bangladesh;
		BE Belgium; BF Burkina Faso; BG Bulgaria; BH Bahrain; BI Burundi; BJ Benin; BL Saint Barthélemy;
		BL Saint Barthelemy; BM Bermuda; BN Brunei Darussalam; BN Brunei; BO Bolivia; BQ Bonaire, Sint Eustatius and Saba;
		BQ Caribbean Netherlands; BR Brazil; BS Bahamas; BT Bhutan; BV Bouvet Island; BW Botswana; BY Belarus; BZ Belize;
		CA Canada; CC Cocos (Keeling) Islands; CC Cocos Islands; CD Congo, Democratic Republic of the;
		CD Democratic Republic of the Congo; CD DR Congo; CF Central African Republic; CG Congo; CG Republic of the Congo;
		CH Switzerland; CI Côte d'Ivoire; CI Cote d'Ivoire; CI Ivory Coast; CK Cook Islands; CL Chile; CM Cameroon;
		CN China; CO Colombia; CR Costa Rica; CU Cuba; CV Cabo Verde; CV Cape Verde; CW Curaçao; CW Curacao;
		CX Christmas Island; CY Cyprus; CZ Czechia; CZ Czech Republic; DE Germany; DJ Djibouti; DK Denmark; DM Dominica;
		DO Dominican Republic; DZ Algeria; EC Ecuador; EE Estonia; EG Egypt; EH Western Sahara; ER Eritrea; ES Spain;
		ET Ethiopia; FI Finland; FJ Fiji; FK Falkland Islands; FK Falkland Islands (Malvinas); FM Micronesia;
		FM Micronesia, Federated States of; FO Faroe Islands; FR France; GA Gabon; GB United Kingdom;
		GB United Kingdom of Great Britain and Northern Ireland; GB Great Britain; GD Grenada; GE Georgia;
		GF French Guiana; GG Guernsey; GH Ghana; GI Gibraltar; GL Greenland; GM Gambia; GN Guinea; GP Guadeloupe;
		GQ Equatorial Guinea; GR Greece; GS South Georgia and the South Sandwich Islands; GT Guatemala; GU Guam;
		GW Guinea-Bissau; GY Guyana; HK Hong Kong; HM Heard Island and McDonald Islands; HN Honduras; HR Croatia; HT Haiti;
		HU Hungary; ID Indonesia; IE Ireland; IL Israel; IM Isle of Man; IN India; IO British Indian Ocean Territory;
		IQ Iraq; IR Iran; IR Iran, Islamic Republic of; IS Iceland; IT Italy; JE Jersey; JM Jamaica; JO Jordan; JP Japan;
		KE Kenya; KG Kyrgyzstan; KH Cambodia; KI Kiribati; KM Comoros; KN Saint Kitts and Nevis; KP North Korea;
		KP Korea, Democratic People's Republic of; KR South Korea; KR Korea, Republic of; KR Korea; KW Kuwait;
		KY Cayman Islands; KZ Kazakhstan; LA Laos; LA Lao People's Democratic Republic; LB Lebanon; LC Saint Lucia;
		LI Liechtenstein; LK Sri Lanka; LR Liberia; LS Lesotho; LT Lithuania; LU Luxembourg; LV Latvia; LY Libya;
		MA Morocco; MC Monaco; MD Moldova; MD Moldova, Republic of; ME Montenegro; MF Saint Martin; MF Saint Martin (French part);
		MG Madagascar; MH Marshall Islands; MK North Macedonia; ML Mali; MM Myanmar; MM Burma; MN Mongolia; MO Macao;
		MO Macau; MP Northern Mariana Islands; MQ Martinique; MR Mauritania; MS Montserrat; MT Malta; MU Mauritius;
		MV Maldives; MW Malawi; MX Mexico; MY Malaysia; MZ Mozambique; NA Namibia; NC New Caledonia; NE Niger;
		NF Norfolk Island; NG Nigeria; NI Nicaragua; NL Netherlands; NL The Netherlands; NL Holland; NO Norway; NP Nepal;
		NR Nauru; NU Niue; NZ New Zealand; OM Oman; PA Panama; PE Peru; PF French Polynesia; PG Papua New Guinea;
		PH Philippines; PK Pakistan; PL Poland; PM Saint Pierre and Miquelon; PN Pitcairn; PR Puerto Rico; PS Palestine;
		PS Palestine, State of; PT Portugal; PW Palau; PY Paraguay; QA Qatar; RE Réunion; RE Reunion; RO Romania;
		RS Serbia; RU Russia; RU Russian Federation; RW Rwanda; SA Saudi Arabia; SB Solomon Islands; SC Seychelles;
		SD Sudan; SE Sweden; SG Singapore; SH Saint Helena, Ascension and Tristan da Cunha; SH Saint Helena; SI Slovenia;
		SJ Svalbard and Jan Mayen; SK Slovakia; SL Sierra Leone; SM San Marino; SN Senegal; SO Somalia; SR Suriname;
		SS South Sudan; ST Sao Tome and Principe; ST São Tomé and Príncipe; SV El Salvador; SX Sint Maarten;
		SX Sint Maarten (Dutch part); SY Syria; SY Syrian Arab Republic; SZ Eswatini; SZ Swaziland;
		TC Turks and Caicos Islands; TD Chad; TF French Southern Territories; TG Togo; TH Thailand; TJ Tajikistan;
		TK Tokelau; TL Timor-Leste; TL East Timor; TM Turkmenistan; TN Tunisia; TO Tonga; TR Türkiye; TR Turkey;
		TT Trinidad and Tobago; TV Tuvalu; TW Taiwan; TZ Tanzania; TZ Tanzania, United Republic of; UA Ukraine;
		UG Uganda; UM United States Minor Outlying Islands; US United States; US United States of America; US USA;
		US America; UY Uruguay; UZ Uzbekistan; VA Holy See; VA Vatican City; VA Vatican; VC Saint Vincent and the Grenadines;
		VE Venezuela; VE Venezuela, Bolivarian Republic of; VG British Virgin Islands; VG Virgin Islands (British);
		VI U.S. Virgin Islands; VI Virgin Islands (U.S.); VN Viet Nam; VN Vietnam; VU Vanuatu; WF Wallis and Futuna;
		WS Samoa; YE Yemen; YT Mayotte; ZA South Africa; ZM Zambia; ZW Zimbabwe; BO Bolivia, Plurinational State of;
		TW Taiwan, Province of China; CZ Czech Rep.; AE UAE`
	m := map[string]string{}
	for _, e := range strings.Split(table, ";") {
		e = strings.TrimSpace(e)
		code, name, _ := strings.Cut(e, " ")
		m[NameKey(name)] = code
	}
	return m
}()
