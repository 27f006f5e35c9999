// The settings query lives in the analysis core; rule files import it from here.
export { djangoDefault, Settings, unknownReason, type SettingAnswer, type SettingValue } from '../models/settings/settings';
