// Entry point of `cdk synth` / `cdk deploy` (see cdk.json); all wiring lives in cdk/lib.
import { buildApp } from '../lib/app.js';

buildApp().app.synth();
