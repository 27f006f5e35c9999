// Text a deployment file writes where production's value is given elsewhere: read by the process
// model (the variable is set where the file is deployed) and by the secrets' placeholders.

/**
 * Text that says the real value is given elsewhere, where the file is deployed ("overridden", with
 * `# overridden in eks-production1/prod/values.yaml` above it): the variable is set there, to a
 * value not in the repository, so neither the text nor its length is production's.
 */
export function saysGivenElsewhere(value: string): boolean {
  return /^(overridden|overwritten|override[-_ ]?me|to[-_ ]be[-_ ]overridden|(set|given|supplied|provided|injected)[-_ ](elsewhere|at[-_ ]deploy([-_ ]?time)?|by[-_ ](ci|the[-_ ]pipeline)))$/.test(
    value.trim().toLowerCase(),
  );
}
