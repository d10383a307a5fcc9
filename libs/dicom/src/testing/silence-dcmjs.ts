import { log } from 'dcmjs';

/**
 * Tests feed dcmjs thousands of odd inputs; its loggers (root and "validation.dcmjs") would print
 * a line for each. Reading-path messages carry no element values, so silencing is only about noise.
 */
export function silenceDcmjs(): void {
  log.setLevel('silent', false);
  log.getLogger('validation.dcmjs').setLevel('silent', false);
}
