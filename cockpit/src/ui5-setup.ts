import { setDefaultFontLoading } from '@ui5/webcomponents-base/dist/config/Fonts.js';
import './fonts.css';
import './styles.css';

// The "72" fonts are bundled (fonts.css); without this UI5 would fetch them from a CDN.
setDefaultFontLoading(false);
