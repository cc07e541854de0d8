export declare const fixture: boolean;
